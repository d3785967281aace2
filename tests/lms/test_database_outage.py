"""The database down (issue 18): /healthz said so, but the API and the xAPI intake answered Django's HTML 500.
A real gunicorn of the production kind, pointed at a PostgreSQL port where nothing listens: the API and the intake
answer JSON 503 with Retry-After, pages a "temporarily unavailable" page in the reader's language."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server_without_database():
    port, dead = _free_port(), _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{dead}/hocso_gone",
    }
    env.pop("CELERY_BROKER_URL", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "lms.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # the machine may be busy
        while time.monotonic() < deadline:
            try:
                requests.get(base + "/healthz", timeout=30)
                break
            except requests.RequestException:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(20)


SIGNED_IN = {"sessionid": "x" * 32, "csrftoken": "c" * 32}


def test_healthz_says_the_database_is_down(server_without_database):
    assert requests.get(server_without_database + "/healthz", timeout=10).status_code == 503


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/reports/staff", "/api/v1/frameworks/"])
def test_the_api_answers_json_503_with_a_retry_hint(server_without_database, path):
    response = requests.get(server_without_database + path, cookies=SIGNED_IN, timeout=20)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.headers["Content-Type"] == "application/json" and "tạm thời" in response.json()["detail"]


def test_the_intake_answers_xapi_json_503_with_a_retry_hint(server_without_database):
    response = requests.post(
        server_without_database + "/xapi/statements",
        data=b"{}",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3", "X-CSRFToken": "c" * 32},
        cookies=SIGNED_IN,
        timeout=20,
    )
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.json()["error"]["code"] == 503


def test_pages_answer_a_friendly_page_in_the_reader_language(server_without_database):
    english = requests.get(
        server_without_database + "/my-learning/", cookies={**SIGNED_IN, "django_language": "en"}, timeout=20
    )
    assert english.status_code == 503 and english.headers["Retry-After"] == "30"
    assert '<html lang="en">' in english.text and "Temporarily unavailable" in english.text
    vietnamese = requests.get(server_without_database + "/my-learning/", cookies=SIGNED_IN, timeout=20)
    assert vietnamese.status_code == 503 and "Tạm thời không phục vụ được" in vietnamese.text
