from pathlib import Path

from .base import *  # noqa: F403
from .base import E

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Files the tests write, under one folder per run: HOCSO_TEST_FILES (.ci/run gives each profile its own, as
# the two suites run side by side), else .test-files.
TEST_FILES = Path(E.env_str("HOCSO_TEST_FILES") or E.BASE_DIR / ".test-files")
MEDIA_ROOT = E.env_str("MEDIA_ROOT") or str(TEST_FILES / "media")
# Tests run tasks in-process unless they ask for the real worker (marker ``celery_worker``),
# which switches the app to the broker for their duration.
CELERY_TASK_ALWAYS_EAGER = True
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
H5P_STORAGE_ROOT = str(TEST_FILES / "h5p-private")
SCORM_STORAGE_ROOT = str(TEST_FILES / "scorm-private")
# A sibling of MEDIA_ROOT, not inside it: the report tests check that exports are never under MEDIA_ROOT.
REPORTS_PRIVATE_ROOT = E.env_str("REPORTS_PRIVATE_ROOT") or str(TEST_FILES / "private" / "reports")
# Statements are written in the request; tests of the queued intake switch it on with a Redis URL.
H5P_XAPI_QUEUE_URL = None
