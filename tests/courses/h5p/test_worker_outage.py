"""The worker rides out broker restarts (issue 18: in one of three Redis outages the worker died with
"Unrecoverable error" and 1,020 acknowledged statements stayed unwritten until someone restarted it).

Real processes: a redis-server of the test's own on a spare port (append-only, as production's), a Celery worker
on it and on the test database, under a small supervisor this test runs (it restarts the worker if it ever
exits, as systemd or compose would), and the queued xAPI intake. Redis is stopped and started several times while
statements arrive. Every statement the intake acknowledged (200) is written; the ones it refused during an
outage (503) were never acknowledged (the page keeps and resends those). Needs PostgreSQL (the worker must see
the test database): run by .ci/run's second suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from courses.h5p.models import H5PStatement
from tests.redis_support import RedisProcess, _free_port

from .conftest import captured

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
V = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
OUTAGES = 3


class SupervisedWorker:
    """A Celery worker restarted whenever it exits (counting its exits and their statuses)."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.exits, self.process, self.log = env, [], None, log
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _spawn(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo", "--loglevel=info", "--beat"]
            + ["--schedule", str(self.log.with_name("beat-schedule"))],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("ab"),
        )

    def _watch(self):
        while not self._stop.is_set():
            if self.process.poll() is not None:
                self.exits.append(self.process.returncode)
                self._spawn()
            time.sleep(0.2)

    def start(self):
        self._spawn()
        self._thread.start()

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""

    def stop(self):
        self._stop.set()
        self._thread.join(5)
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


@pytest.fixture
def broker(tmp_path):
    server = RedisProcess(_free_port(), data_dir=tmp_path / "redis")
    (tmp_path / "redis").mkdir()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(broker, settings, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): the worker process must see the test database")
    from lms.celery import app

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker.url,
        "H5P_STORAGE_ROOT": str(settings.H5P_STORAGE_ROOT),
    }
    env.pop("H5P_XAPI_QUEUE_URL", None)
    settings.H5P_XAPI_QUEUE_URL = broker.url
    # Celery reads CELERY_BROKER_URL from the environment before its configuration (Settings.broker_url), so
    # the test process publishes to the test's Redis only with the variable pointing there too.
    monkeypatch.setenv("CELERY_BROKER_URL", broker.url)
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = broker.url, False
    app._pool, app.amqp._producer_pool = None, None
    supervised = SupervisedWorker(env, tmp_path / "worker.log")
    supervised.start()
    yield supervised
    supervised.stop()
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._pool, app.amqp._producer_pool = None, None
    from courses.h5p.services import intake

    intake._redis.cache_clear()


def test_every_acknowledged_statement_is_written_through_redis_restarts(
    client, learner, import_activity, broker, worker
):
    from courses.h5p.services import intake

    activity = import_activity("H5P.TrueFalse.h5p")
    interacted = captured("H5P.TrueFalse.statements.json", activity.pk)[1]
    client.force_login(learner.user)
    acknowledged, refused = [], []

    def send(count):
        for _ in range(count):
            statement = dict(interacted, id=str(uuid.uuid4()))
            response = client.post(reverse("h5p:statements"), data=statement, content_type="application/json", **V)
            assert response.status_code in (200, 503), response.content
            (acknowledged if response.status_code == 200 else refused).append(statement["id"])
            if response.status_code == 503:
                assert response["Retry-After"]

    send(5)
    for _ in range(OUTAGES):
        broker.stop()
        intake._redis.cache_clear()
        send(2)  # refused while Redis is down: not acknowledged
        time.sleep(1)
        broker.start()
        intake._redis.cache_clear()
        send(5)
        time.sleep(2)
    assert len(refused) == 2 * OUTAGES and len(acknowledged) == 5 * (OUTAGES + 1)

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        written = set(
            H5PStatement.objects.filter(statement__statement_id__in=acknowledged).values_list(
                "statement__statement_id", flat=True
            )
        )
        if len(written) == len(acknowledged):
            break
        time.sleep(1)
    missing = set(acknowledged) - {str(i) for i in written}
    assert missing == set(), (
        f"{len(missing)} acknowledged statements never written (worker exits: {worker.exits}); "
        f"the worker's log ends:\n{worker.log_tail()}"
    )
    assert not H5PStatement.objects.filter(statement__statement_id__in=refused).exists()
    assert worker.process.poll() is None  # alive at the end (restarted by the supervisor if it ever died)
