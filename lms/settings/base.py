"""Settings shared by every profile. Profiles: dev (default), test, production."""

from pathlib import Path

import dj_database_url

from lms import content_policy as _csp

from . import environment as E

BASE_DIR = E.BASE_DIR

SECRET_KEY = E.SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
DEBUG = False
ALLOWED_HOSTS = E.ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
# `make run HOST=name:port`: the demo answers to that name too (0.0.0.0, all addresses, needs ALLOWED_HOSTS).
_ALL_ADDRESSES = ("", "0.0.0.0", "::")  # noqa: S104 (a name we compare with, not a socket we bind)
_host_name = E.HOST.rsplit(":", 1)[0].strip("[]")
if not E.ALLOWED_HOSTS and _host_name not in (*_ALL_ADDRESSES, *ALLOWED_HOSTS):
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, _host_name]

INSTALLED_APPS = [
    "lms",
    "lms.accounts",
    "courses",
    "courses.h5p",
    "courses.scorm",
    "assessments",
    "assessments.quizzes",
    "assessments.sources",
    "assessments.xapi",
    "assessments.placement",
    "reports",
    "wagtail.api.v3",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    _csp.MIDDLEWARE,
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON compressed for a slow link (issue 17: a 110 kB dashboard is 0.6 s at 1.5 Mbit/s). Django's
    # gzip pads each response with random bytes against BREACH; WhiteNoise's files come precompressed already.
    "lms.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.SessionTouchMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.accounts.middleware.SecondFactorRequiredMiddleware",
    "lms.middleware.PreferredLanguageMiddleware",
    "lms.middleware.TimeZoneMiddleware",
    "lms.boundaries.params.ParameterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"
ASGI_APPLICATION = "lms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.context_processors.navigation",
                _csp.CONTEXT_PROCESSOR,
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        E.DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for a write lock instead of failing at once when the worker and web share the file.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (lms.accounts, on django-allauth): one sign-in page for everyone (the Wagtail admin's
# /admin/login/ redirects to it), by username (employee number) or e-mail; no self sign-up.
AUTHENTICATION_BACKENDS = ["lms.accounts.backends.AccountBackend"]
LOGIN_URL = "login"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ACCOUNT_ADAPTER = "lms.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "lms.accounts.adapter.SocialAccountAdapter"
MFA_ADAPTER = "lms.accounts.adapter.MFAAdapter"
ACCOUNT_FORMS = {
    "login": "lms.accounts.forms.LoginForm",
    "reset_password": "lms.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "lms.accounts.forms.ResetPasswordKeyForm",
    "change_password": "lms.accounts.forms.ChangePasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True  # the HR import already refuses an e-mail that belongs to someone else
ACCOUNT_SESSION_REMEMBER = False  # sessions end with the browser and after 30 idle minutes
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # "forgot password" for an unknown address: same page, no e-mail to it
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[HocSo] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if E.env_bool("SECURE_SSL_REDIRECT", False) else "http"
ACCOUNT_EMAIL_NOTIFICATIONS = False  # allauth's notices are English-only; the audit log records these events
PASSWORD_RESET_TIMEOUT = 24 * 3600  # a reset link works for a day, once

# Failed sign-ins: after LOGIN_FAILURE_LIMIT failures for one account (LOGIN_FAILURE_LIMIT * 4 for one
# address: many officers share an embassy's address) within LOGIN_LOCKOUT_SECONDS, further attempts are
# refused before the password is checked. allauth counts each attempt *before* checking it, under a
# cache lock (Redis in production), so simultaneous attempts cannot overrun the limit; a success gives
# its attempt back. Wrong second-factor codes count against the same limit.
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT_SECONDS = 15 * 60
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_FAILURE_LIMIT * 4}/{LOGIN_LOCKOUT_SECONDS}s/ip,"
    f"{LOGIN_FAILURE_LIMIT}/{LOGIN_LOCKOUT_SECONDS}s/key",
    "reset_password": "20/m/ip,3/15m/key",
    # Sign-in attempts of any outcome per address: generous, a mission's officers share one address.
    "login": "120/m/ip",
}
# How many reverse proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = E.env_int("TRUSTED_PROXY_COUNT", 0)

# Second factor (allauth.mfa): TOTP with recovery codes; required for HR and Administrators
# (lms.accounts.second_factor), optional for everyone else.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "HocSo"
MFA_ALLOW_UNVERIFIED_EMAIL = True  # e-mail addresses come from the HR system's export
SECOND_FACTOR_RECHECK_SECONDS = 300  # a role needing a second factor, granted mid-session, is enforced within this

# Single sign-on with the ministry's OpenID Connect provider (authorization code + PKCE, lms.accounts.oidc),
# switched on by OIDC_ISSUER and OIDC_CLIENT_ID. The provider's person is matched to an already imported officer
# by OIDC_MATCH ("email", or "employee_number" read from the claim OIDC_EMPLOYEE_NUMBER_CLAIM); anyone else is
# refused unless OIDC_ALLOW_CREATE.
OIDC_ISSUER = E.env_str("OIDC_ISSUER")
OIDC_MATCH = E.env_str("OIDC_MATCH", "email")
OIDC_EMPLOYEE_NUMBER_CLAIM = E.env_str("OIDC_EMPLOYEE_NUMBER_CLAIM", "employee_number")
OIDC_ALLOW_CREATE = E.env_bool("OIDC_ALLOW_CREATE", False)
# Matching by e-mail needs the provider to say the address is verified (email_verified), unless this is set:
# for a provider whose addresses only the ministry can set.
OIDC_TRUST_UNVERIFIED_EMAIL = E.env_bool("OIDC_TRUST_UNVERIFIED_EMAIL", False)
SOCIALACCOUNT_REQUESTS_TIMEOUT = E.env_int("OIDC_TIMEOUT", 5)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # matching is ours (SocialAccountAdapter.pre_social_login)
SOCIALACCOUNT_PROVIDERS: dict = {}
if OIDC_ISSUER and E.env_str("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "ministry",
                "name": E.env_str("OIDC_NAME", ""),
                "client_id": E.env_str("OIDC_CLIENT_ID"),
                "secret": E.env_str("OIDC_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": OIDC_ISSUER,
                    "scope": E.env_list("OIDC_SCOPES", ["openid", "profile", "email"]),
                    "token_auth_method": E.env_str("OIDC_TOKEN_AUTH_METHOD", "client_secret_post"),
                },
            }
        ],
    }
# Sign-in against the ministry's directory (LDAP / Active Directory, lms.accounts.directory), switched on by
# LDAP_SERVER_URI. The directory checks the password; the person must already be imported, matched by the
# attribute LDAP_MATCH_ATTRIBUTE (an employee number, or an e-mail with LDAP_MATCH=email).
LDAP_SERVER_URI = E.env_str("LDAP_SERVER_URI", "")
LDAP_BIND_DN = E.env_str("LDAP_BIND_DN", "")
LDAP_BIND_PASSWORD = E.env_str("LDAP_BIND_PASSWORD", "")
LDAP_START_TLS = E.env_bool("LDAP_START_TLS", False)
LDAP_USER_SEARCH_BASE = E.env_str("LDAP_USER_SEARCH_BASE", "")
LDAP_USER_FILTER = E.env_str("LDAP_USER_FILTER", "(sAMAccountName=%(user)s)")
LDAP_MATCH = E.env_str("LDAP_MATCH", "employee_number")
LDAP_MATCH_ATTRIBUTE = E.env_str("LDAP_MATCH_ATTRIBUTE", "employeeID")
# Optional: directory groups that give HocSo roles, "HR=<group DN>;Trainers=<group DN>;Administrators=<group DN>".
LDAP_ROLE_GROUPS = E.env_map("LDAP_ROLE_GROUPS")
LDAP_GROUP_SEARCH_BASE = E.env_str("LDAP_GROUP_SEARCH_BASE", LDAP_USER_SEARCH_BASE)
LDAP_GROUP_TYPE = E.env_str("LDAP_GROUP_TYPE", "active_directory")  # or "group_of_names" (OpenLDAP)
LDAP_TIMEOUT = E.env_int("LDAP_TIMEOUT", 5)
if LDAP_SERVER_URI:
    AUTHENTICATION_BACKENDS.append("lms.accounts.directory.DirectoryBackend")

# Whom people who cannot get in should contact (shown on the refusal pages).
SUPPORT_CONTACT = E.env_str("HOCSO_SUPPORT_CONTACT", "")

# Invitations for imported staff: a single-use link valid this many days.
INVITATION_DAYS = E.env_int("INVITATION_DAYS", 7)
INVITATION_BATCH_SIZE = 100

# Idle timeout: the session ends after 30 minutes without a request. Instead of writing the
# session on every request (SESSION_SAVE_EVERY_REQUEST), lms.middleware.SessionTouchMiddleware
# renews its expiry at most once per SESSION_TOUCH_SECONDS, so the timeout is 30 minutes give or
# take one, and a burst of requests (xAPI statements, beacons) costs no session writes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the page's own JavaScript reads it to call the API

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# Our Vietnamese for what Wagtail's own catalogue leaves in English (locale/vi/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# One date, time and number format per language (lms/formats/<language>/formats.py, see lms/formatting.py).
FORMAT_MODULE_PATH = ["lms.formats"]

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_SITE_NAME = "HocSo"
# Slugs of pages trainers make are ASCII, like the demo's ("an-toan-thong-tin", not "an-toàn-thông-tin").
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# No autosave: it saved a draft of an add form the author never submitted. Authors save when they choose.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# Closed network: the admin makes no request outside this host (no Gravatar hash of people's e-mail,
# no check for new Wagtail releases).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Approving a review workflow publishes without the approver holding "publish" (see courses/workflows.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "courses.workflows.publish_after_review"
# Links in e-mails and the demo's printed address: where `make run` serves (HOST), unless set.
WAGTAILADMIN_BASE_URL = E.env_str("WAGTAILADMIN_BASE_URL") or "http://" + (
    "127.0.0.1:" + E.HOST.rsplit(":", 1)[-1] if _host_name in _ALL_ADDRESSES else E.HOST
)
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt", "csv", "zip", "mp4", "webm"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = E.env_str("MEDIA_ROOT") or str(BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no broker configured, tasks run eagerly in the calling process so the
# demo needs no services. With CELERY_BROKER_URL set, a real worker runs them.
CELERY_BROKER_URL = E.CELERY_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = E.CELERY_BROKER_URL or "cache+memory://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker `make run` uses when no broker is configured: kombu's filesystem transport,
    # messages as files under CELERY_FILESYSTEM_FOLDER (default var/celery), results beside them, so the
    # worker and beat run the periodic jobs on one machine with no services.
    _celery_folder = Path(E.env_str("CELERY_FILESYSTEM_FOLDER") or BASE_DIR / "var" / "celery")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_folder / "queue"),
        "data_folder_out": str(_celery_folder / "queue"),
        "control_folder": str(_celery_folder / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{_celery_folder / 'results'}"
CELERY_TASK_ALWAYS_EAGER = E.CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Broker outages (issue 18: a Redis restart once killed the worker for good). The worker keeps reconnecting,
# however long the outage, at start-up too; tasks it was running when the connection dropped are given back
# (acks_late) rather than finished blind. Whatever still ends it exits non-zero, and its supervisor (systemd's
# Restart=always, compose's restart policy: deploy/) starts it again.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_TIMEOUT = 5
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_HEARTBEAT = 30
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 5,
        "socket_keepalive": True,
        "retry_on_timeout": True,
        "health_check_interval": 10,
    }
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"timeout": 5.0}}
    CELERY_REDIS_BACKEND_HEALTH_CHECK_INTERVAL = 10
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "hocso@localhost"

DEMO_PASSWORD = E.DEMO_PASSWORD

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"lms": {"level": "INFO"}},
}

# H5P (courses.h5p): unpacked packages live outside MEDIA_ROOT's public URL and are served
# only through permission-checked views. H5P_PLAYER_ORIGIN, when set (e.g. https://h5p.hocso.example),
# is a separate cookieless origin that serves the player iframe; otherwise the iframe is sandboxed.
H5P_STORAGE_ROOT = E.env_str("H5P_STORAGE_ROOT") or str(BASE_DIR / "var" / "h5p")
H5P_PLAYER_ORIGIN = (E.env_str("H5P_PLAYER_ORIGIN") or "").rstrip("/")
# Content-Security-Policy on every response (lms/content_policy.py, django-csp); the players' and the sign-on
# provider's origins are added per request.
CONTENT_SECURITY_POLICY = _csp.content_security_policy()
# H5P_SITE_ORIGIN: the embedding site's origin (frame-ancestors, postMessage) when the player has its own.
H5P_SITE_ORIGIN = (E.env_str("H5P_SITE_ORIGIN") or "").rstrip("/")
# SCORM (courses.scorm): packages unpacked outside MEDIA_ROOT, played on SCORM_PLAYER_ORIGIN (else
# H5P_PLAYER_ORIGIN; in development the other spelling of a local host, localhost <-> 127.0.0.1),
# a cookieless origin of its own, because SCORM content must reach the run-time API in its parent frame.
SCORM_STORAGE_ROOT = E.env_str("SCORM_STORAGE_ROOT") or str(BASE_DIR / "var" / "scorm")
SCORM_PLAYER_ORIGIN = (E.env_str("SCORM_PLAYER_ORIGIN") or "").rstrip("/")
# Generated report files (reports.ReportJob) hold personal data: kept outside MEDIA_ROOT and served
# only through the permission-checked download view.
REPORTS_PRIVATE_ROOT = E.env_str("REPORTS_PRIVATE_ROOT") or str(BASE_DIR / "var" / "reports")
H5P_MAX_STATEMENT_BYTES = 64 * 1024
# The learning record store at /xapi/ (assessments.xapi): request bounds, page size of a statement
# query (limit=0 means this), how long a `more` address stays valid (s).
XAPI_MAX_BODY_BYTES = 1024 * 1024
XAPI_MAX_REQUEST_BYTES = 16 * 1024 * 1024  # multipart/mixed, attachments included
XAPI_MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024
XAPI_MAX_DOCUMENT_BYTES = 1024 * 1024
XAPI_MAX_STATEMENTS_PER_REQUEST = 500
XAPI_MAX_LIMIT = 100
XAPI_MORE_MAX_AGE = 24 * 3600
# Forwarding every stored statement (or those about activities under the given prefixes) to an
# external LRS (the ministry's data-exchange platform): its xAPI endpoint (".../xapi/"), HTTP Basic
# key and secret. Unset: no forwarding.
XAPI_FORWARD_URL = E.env_str("XAPI_FORWARD_URL", "") or ""
XAPI_FORWARD_KEY = E.env_str("XAPI_FORWARD_KEY", "") or ""
XAPI_FORWARD_SECRET = E.env_str("XAPI_FORWARD_SECRET", "") or ""
XAPI_FORWARD_ACTIVITY_PREFIXES = E.env_list("XAPI_FORWARD_ACTIVITY_PREFIXES", [])
XAPI_FORWARD_BATCH = 200
XAPI_FORWARD_TIMEOUT = 10.0
# Storage bounds per learner: statements kept for one attempt (the statement that finishes it is
# always accepted), and pieces of resume state per activity. Real content stays far below both.
H5P_MAX_STATEMENTS_PER_ATTEMPT = 2000
H5P_MAX_STATE_ROWS = 200
# xAPI intake (courses.h5p.services.intake): with a Redis URL, the request validates and queues each
# statement in a Redis stream and a Celery task writes them in batches; without one (the embedded
# demo, no services) the request writes them. Defaults to the broker when that is Redis and tasks
# run on a worker. H5P_XAPI_ID_TTL: how long (s) a statement id is remembered there, to answer a
# replay or a conflict (409) at once; the database keeps the first statement with an id forever.
# "direct" forces writing in the request.
_xapi_queue = E.env_str("H5P_XAPI_QUEUE_URL")
H5P_XAPI_QUEUE_URL = (
    None
    if _xapi_queue == "direct"
    else _xapi_queue
    or (E.CELERY_BROKER_URL if (E.CELERY_BROKER_URL or "").startswith(("redis://", "rediss://")) else None)
)
H5P_XAPI_ID_TTL = 24 * 3600
# Messages the stream may hold before requests get 503 (the writer is far behind or stopped).
H5P_XAPI_QUEUE_MAX = 100_000
# The H5P player (npm h5p-standalone, installed by `make setup`, never committed) is served as
# static files under /static/h5p-standalone/ straight from node_modules.
# plotly.js: one partial bundle (npm plotly.js-cartesian-dist-min, pinned: bar, heatmap, scatter; 1.5 MB
# instead of 4.8 MB, about 0.45 MB gzipped) under one address, /static/plotly/plotly-cartesian.min.js; in
# production collectstatic gives it a hashed name, gzip and brotli copies and a year-long cache (WhiteNoise).
STATICFILES_DIRS = [
    ("h5p-standalone", str(BASE_DIR / "node_modules" / "h5p-standalone" / "dist")),
    ("plotly", str(BASE_DIR / "node_modules" / "plotly.js-cartesian-dist-min")),
    # scorm-again (npm, pinned): the SCORM 1.2 / 2004 run-time API of the SCORM player.
    ("scorm-again", str(BASE_DIR / "node_modules" / "scorm-again" / "dist")),
]

from celery.schedules import crontab as _crontab  # noqa: E402

# Competency scoring (assessments.scoring.competency.ScoringPolicy): evidence weight halves every
# half_life_days; self-reported evidence counts self_reported_factor as much; a level is shown from
# min_evidence pieces of evidence; confidence is W / (W + confidence_weight).
HOCSO_COMPETENCY_SCORING = {
    "half_life_days": 365.0,
    "self_reported_factor": 0.5,
    "min_evidence": 2,
    "confidence_weight": 2.0,
}
CELERY_BEAT_SCHEDULE["assessments-recompute-competencies"] = {
    # Nightly: rebuild current scores from evidence (reports drift) and refresh this month's snapshot.
    "task": "assessments.tasks.competencies_recompute_task",
    "schedule": _crontab(hour=2, minute=30),
    "options": {"expires": 6 * 3600},
}
CELERY_BEAT_SCHEDULE["assessments-close-month"] = {
    # Just after midnight on the 1st: freeze the month that just ended with its final scores.
    "task": "assessments.tasks.competency_snapshots_task",
    "schedule": _crontab(day_of_month=1, hour=0, minute=5),
    "kwargs": {"previous_month": True},
}

# Reports: re-send report jobs whose message was lost and delete expired results (reports.tasks).
# H5P: finished attempts whose evidence task was lost are queued again.
CELERY_BEAT_SCHEDULE["h5p-statements-drain"] = {"task": "courses.h5p.tasks.statements_drain_task", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["xapi-forward"] = {"task": "assessments.xapi.tasks.statements_forward_task", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["h5p-evidence-sweep"] = {"task": "courses.h5p.tasks.attempt_evidence_sweep", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["scorm-outcome-sweep"] = {"task": "courses.scorm.tasks.attempt_outcome_sweep", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["reports-sweep-jobs"] = {"task": "reports.tasks.report_jobs_sweep", "schedule": 60.0}
# Reports: roll up this and last month's competency snapshots per unit after the nightly recompute (02:30).
CELERY_BEAT_SCHEDULE["reports-unit-months"] = {
    "task": "reports.tasks.unit_months_refresh_task",
    "schedule": _crontab(hour=3, minute=30),
}
# Reports: the dashboard's roll-up of current scores; the page shows its time ("scores as of"), so this
# interval is how far behind the heatmap, level distribution and gaps can be.
CELERY_BEAT_SCHEDULE["reports-score-cells"] = {
    "task": "reports.tasks.score_cells_refresh_task",
    "schedule": 10 * 60.0,
    "options": {"expires": 10 * 60},
}

# Courses: reminders, certificate renewals and assigned-training sync (courses/tasks.py).
CELERY_BEAT_SCHEDULE.update(
    {
        "courses-reminders": {"task": "courses.tasks.reminders_send_task", "schedule": 60 * 60},
        "placement-campaign-reminders": {
            "task": "assessments.placement.tasks.campaign_reminders_task",
            "schedule": 60 * 60,
        },
        "courses-certificate-renewals": {"task": "courses.tasks.certificate_renewals_task", "schedule": 6 * 60 * 60},
        "courses-assignments-sync": {"task": "courses.tasks.assignments_sync_task", "schedule": 15 * 60},
        "courses-publish-scheduled": {"task": "courses.tasks.publish_scheduled_pages_task", "schedule": 5 * 60},
    }
)
# Quizzes: grade attempts whose time ran out with the answers saved by then (assessments/quizzes/tasks.py).
CELERY_BEAT_SCHEDULE["quizzes-close-overdue-attempts"] = {
    "task": "assessments.quizzes.tasks.attempts_close_overdue_task",
    "schedule": 60,
    "options": {"expires": 55},
}
