import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _find_testdata() -> Path:
    """../shared/testdata beside the checkout (CI, main), or two levels up (git worktrees); HOCSO_TESTDATA wins."""
    if os.environ.get("HOCSO_TESTDATA"):
        return Path(os.environ["HOCSO_TESTDATA"])
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "testdata").is_dir():
            return base / "shared" / "testdata"
    return ROOT.parent / "shared" / "testdata"


SHARED_TESTDATA = _find_testdata()


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
def celery_worker_process(django_db_setup, django_db_blocker):
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
    app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        app.conf.task_always_eager = True
        worker.stop()


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
