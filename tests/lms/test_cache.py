"""The Redis cache backend used in production (lms.cache): one client per pool, same behaviour."""

import pytest

redis = pytest.importorskip("redis")


@pytest.fixture
def redis_cache():
    url = "redis://127.0.0.1:6379/9"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    from lms.cache import RedisCache

    cache = RedisCache(url, {"KEY_PREFIX": "hocso-test-cache"})
    yield cache
    cache.clear()


def test_values_round_trip_and_the_client_is_reused(redis_cache):
    redis_cache.set("người", {"điểm": 0.75}, 30)
    assert redis_cache.get("người") == {"điểm": 0.75}
    assert redis_cache.get_many(["người", "missing"]) == {"người": {"điểm": 0.75}}
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client() is client
    assert redis_cache.delete("người") and redis_cache.get("người") is None


def test_production_settings_use_it_with_cached_sessions():
    """With a Redis URL, production caches in Redis through this backend and reads sessions from it."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": "k" * 64,
            "ALLOWED_HOSTS": "hocso.example.vn",
            "DATABASE_URL": "sqlite:////tmp/hocso-cache-check.db",
            "CACHE_URL": "redis://127.0.0.1:6379/9",
        }
    )
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "lms.cache.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]
