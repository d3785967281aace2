"""`make run HOST=name:port`: the demo answers to that name, links to it and seed_demo prints it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PROBE = (
    "import django, json; django.setup();"
    "from django.conf import settings;"
    "from lms.management.commands.seed_demo import sign_in_address;"
    "print(json.dumps([settings.ALLOWED_HOSTS, settings.WAGTAILADMIN_BASE_URL, sign_in_address()]))"
)


def settings_with(**env):
    environment = {k: v for k, v in os.environ.items() if k not in ("HOST", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL")}
    environment.update(DJANGO_SETTINGS_MODULE="lms.settings.dev", **env)
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "host, allowed, address",
    [
        (None, ["127.0.0.1", "localhost", "testserver"], "http://127.0.0.1:8000/"),
        (
            "demo.hocso.lan:8080",
            ["127.0.0.1", "localhost", "testserver", "demo.hocso.lan"],
            "http://demo.hocso.lan:8080/",
        ),
        ("0.0.0.0:9000", ["127.0.0.1", "localhost", "testserver"], "http://127.0.0.1:9000/"),
    ],
)
def test_host_sets_the_address_the_demo_prints_and_answers_to(host, allowed, address):
    allowed_hosts, base_url, printed = settings_with(**({"HOST": host} if host else {}))
    assert allowed_hosts == allowed
    assert base_url + "/" == address
    assert printed == address
