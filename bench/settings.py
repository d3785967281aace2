"""Benchmark profile: the dev settings plus one bare view to compare against (bench/urls.py)."""

from lms.settings import environment as E
from lms.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}

# With a broker (the default in bench/xapi_ingest.py), cache and sessions as in production
# (lms/settings/production.py): the cache in Redis, sessions cached there and written through.
if E.CELERY_BROKER_URL:
    CACHES = {"default": {"BACKEND": "lms.cache.RedisCache", "LOCATION": E.CELERY_BROKER_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
