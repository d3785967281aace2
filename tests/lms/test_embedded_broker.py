"""`make run` with no services: a Celery worker and beat on the embedded broker (kombu's filesystem
transport) run the periodic jobs against the same SQLite database as the web server."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
JOB = "assessments.quizzes.tasks.attempts_close_overdue_task"


@pytest.fixture
def embedded_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.embedded_settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL="filesystem://",
        CELERY_FILESYSTEM_FOLDER=str(tmp_path / "celery"),
        H5P_STORAGE_ROOT=str(tmp_path / "h5p"),
        PYTHONUNBUFFERED="1",
    )
    for folder in ("queue", "control", "results"):
        (tmp_path / "celery" / folder).mkdir(parents=True)
    return env


def test_the_embedded_settings_pick_the_filesystem_broker(embedded_env):
    code = (
        "from django.conf import settings as s;"
        "print(s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_RESULT_BACKEND.startswith('file://'),"
        " s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'])"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=embedded_env, capture_output=True, text=True
    ).stdout.split()[-4:]
    assert out[:3] == ["filesystem://", "False", "True"]
    assert out[3] == embedded_env["CELERY_FILESYSTEM_FOLDER"] + "/queue"


def test_beat_and_the_worker_run_a_periodic_job_on_the_embedded_broker(embedded_env, tmp_path):
    # given a migrated database and the worker with beat, as `make run` starts them without CELERY_BROKER_URL
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=embedded_env,
        check=True,
        capture_output=True,
    )
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms",
                "worker",
                "--beat",
                f"--schedule={tmp_path / 'celerybeat-schedule'}",
                "--loglevel=info",
                "--concurrency=1",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=embedded_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # when beat's schedule comes due, then the worker runs the job on the database
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and log.read_text().count(f"Task {JOB}[") < 2:
            assert worker.poll() is None, log.read_text()[-3000:]
            time.sleep(1)
        text = log.read_text()
        assert f"Scheduler: Sending due task quizzes-close-overdue-attempts ({JOB})" in text, text[-3000:]
        assert text.count(f"Task {JOB}[") >= 2 and "succeeded in" in text, text[-3000:]
        assert "ERROR" not in text, text[-3000:]
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
