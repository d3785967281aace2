import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from lms.testdata import candidate, find_testdata, missing_message

ROOT = Path(__file__).resolve().parent.parent


# Third-party test material (lms/testdata.py says where it is looked for). Tests that need it carry the
# ``testdata`` marker or request the ``testdata`` fixture: without the folder they are skipped with one
# line saying what is missing, or fail when HOCSO_TESTDATA_REQUIRED=1 (CI).
TESTDATA = find_testdata()
SHARED_TESTDATA = TESTDATA or candidate()


def material(subfolder: str, pattern: str) -> list:
    """Files of the test material to parametrize over; one placeholder (skipped by the ``testdata``
    fixture) when the material is absent, so a missing folder never yields an empty parameter set."""
    if TESTDATA is None:
        return [pytest.param(None, id="test-material-missing", marks=pytest.mark.testdata)]
    return sorted((TESTDATA / subfolder).glob(pattern))


def require_testdata() -> Path:
    """The test material folder; skips the calling test (fails it when HOCSO_TESTDATA_REQUIRED=1) when absent.
    Every such skip is raised here, so pytest folds them into one line of its summary."""
    if TESTDATA is None:
        if os.environ.get("HOCSO_TESTDATA_REQUIRED") == "1":
            pytest.fail(missing_message() + " (HOCSO_TESTDATA_REQUIRED=1)", pytrace=False)
        pytest.skip(missing_message())
    return TESTDATA


@pytest.fixture
def testdata() -> Path:
    return require_testdata()


def pytest_runtest_setup(item):
    # Checked here rather than in the fixture: a skip raised in a fixture is reported at each test's own
    # location, one summary line per test; raised from require_testdata they fold into one line.
    if "testdata" in item.keywords or "testdata" in item.fixturenames:
        require_testdata()


def pytest_report_header(config):
    return f"test material: {TESTDATA}" if TESTDATA else f"test material: missing ({missing_message()})"


@pytest.fixture(scope="session", autouse=True)
def _load_urlconf():
    """Build the URLconf (and with it every API schema) before any test freezes the clock:
    pydantic cannot build a schema for freezegun's fake date class."""
    import lms.urls  # noqa: F401


@pytest.fixture(autouse=True)
def _forget_test_sources():
    from tests.factories import _SOURCES

    _SOURCES.clear()
    yield
    _SOURCES.clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _broker_url() -> str | None:
    return os.environ.get("CELERY_BROKER_URL") or None


@pytest.fixture(scope="session")
def _celery_worker_session(django_db_setup, django_db_blocker):
    """A real Celery worker (separate process) on the test database and the configured broker.

    Needs PostgreSQL (the worker must see the test database) and CELERY_BROKER_URL; skipped otherwise.
    Yields a handle with ``restart()`` so tests can kill the worker mid-task.
    """
    from django.db import connection

    broker = _broker_url()
    if broker is None or connection.vendor != "postgresql":
        pytest.skip("needs CELERY_BROKER_URL and a PostgreSQL DATABASE_URL (run by .ci/run)")
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }

    class Worker:
        proc: subprocess.Popen | None = None

        def start(self):
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "lms",
                    "worker",
                    "--pool=solo",
                    "--loglevel=warning",
                    "--without-heartbeat",
                    "--without-mingle",
                    "--without-gossip",
                ],
                cwd=ROOT,
                env=env,
            )
            time.sleep(1)

        def stop(self, hard=False):
            if self.proc and self.proc.poll() is None:
                self.proc.kill() if hard else self.proc.terminate()
                self.proc.wait(timeout=30)

        def restart(self, hard=True):
            self.stop(hard=hard)
            self.start()

    from lms.celery import app

    app.control.purge()
    worker = Worker()
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def celery_worker_process(_celery_worker_session):
    """The real worker for one test: tasks go to the broker during the test only. (Switched for the whole
    session, every later test's tasks went to the worker process: a mail sent there never reached the test's
    outbox.)"""
    from lms.celery import app

    app.conf.task_always_eager = False
    try:
        yield _celery_worker_session
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def wagtail_site():
    """Wagtail's root page and default site, rebuilt if a transactional test flushed them (real-worker tests
    run after other transactional tests, whose flush removes the migrations' data)."""
    from wagtail.models import Locale, Page, Site

    if not Site.objects.filter(is_default_site=True).exists():
        locale, _created = Locale.objects.get_or_create(language_code="vi")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        home = root.add_child(instance=Page(title="HocSo", slug="home", locale=locale))
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="HocSo")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "celery_worker" in item.keywords and "celery_worker_process" not in item.fixturenames:
            item.fixturenames.append("celery_worker_process")
        if "celery_worker" in item.keywords and "wagtail_site" not in item.fixturenames:
            item.fixturenames.append("wagtail_site")
