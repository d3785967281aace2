"""Redis down (issue 18): signed-in requests answered 500 because sessions were read from the cache. With a real
redis-server of the test's own on a spare port: stop it, and people stay signed in (sessions from the database);
start it again, and the cache is used again."""

from __future__ import annotations

import shutil
import time

import pytest
from django.core.cache import cache

from tests.factories import make_person, make_unit
from tests.redis_support import RedisProcess, _free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisProcess(_free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_sessions(settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis_server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return redis_server


def test_people_stay_signed_in_while_redis_is_down_and_the_cache_returns_after(client, redis_sessions, monkeypatch):
    from lms import cache as lms_cache

    monkeypatch.setattr(lms_cache, "PAUSE_SECONDS", 0.2, raising=False)
    person = make_person("outage", make_unit("RDS"))
    client.force_login(person.user)
    assert client.get("/my-learning/").status_code == 200
    cache.set("probe", 1)
    assert cache.get("probe") == 1  # the real Redis is in use
    # when Redis stops
    redis_sessions.stop()
    for path in ("/my-learning/", "/api/v1/me", "/my/competencies/"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    assert cache.get("probe") is None  # a miss, not an error
    # and when it is back, the cache works again
    redis_sessions.start()
    time.sleep(0.3)
    assert client.get("/my-learning/").status_code == 200
    cache.set("probe", 2)
    assert cache.get("probe") == 2
