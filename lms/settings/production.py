"""Production profile: everything secret or site-specific comes from the environment.

Refuses to start without SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import E

_missing = [
    name
    for name, value in (
        ("SECRET_KEY", E.SECRET_KEY),
        ("ALLOWED_HOSTS", E.ALLOWED_HOSTS),
        ("DATABASE_URL", E.DATABASE_URL),
    )
    if not value
]
if _missing:
    raise ImproperlyConfigured("Production settings need these environment variables: " + ", ".join(_missing))
if len(E.SECRET_KEY or "") < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

DEBUG = False
SECRET_KEY = E.SECRET_KEY
ALLOWED_HOSTS = E.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = E.env_list("CSRF_TRUSTED_ORIGINS")
WAGTAILADMIN_BASE_URL = E.env_str("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

SECURE_SSL_REDIRECT = E.env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind one reverse proxy by default, so sign-in throttling sees the real client address.
TRUSTED_PROXY_COUNT = E.env_int("TRUSTED_PROXY_COUNT", 1)
SECURE_HSTS_SECONDS = E.env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = E.env_str("MEDIA_ROOT", str(E.BASE_DIR / "media"))
STATIC_ROOT = E.env_str("STATIC_ROOT", str(E.BASE_DIR / "staticfiles"))

_redis = E.env_str("CACHE_URL") or E.CELERY_BROKER_URL
if _redis and _redis.startswith("redis"):
    CACHES = {
        "default": {
            "BACKEND": "lms.cache.RedisCache",
            "LOCATION": _redis,
            # A Redis that is down costs a second at most; lms.cache then carries on without it (sessions from
            # the database) and tries again a few seconds later.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Sessions read from the shared cache, written through to the database: no session query per request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = E.env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = E.env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = E.env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = E.env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = E.env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = E.env_str("DEFAULT_FROM_EMAIL", "hocso@localhost")

LOGGING["root"]["level"] = "INFO"  # noqa: F405
