"""Profile for bench/slow_link.py: the production settings unchanged (WhiteNoise's compressed, hashed
static files with a year's cache, DEBUG off), except what plain HTTP on 127.0.0.1 needs: no HTTPS
redirect, no HSTS, cookies without the Secure flag (the TLS proxy of a real deployment is absent)."""

from lms.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
TRUSTED_PROXY_COUNT = 0
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
