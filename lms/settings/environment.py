"""The one place HocSo reads its environment.

Every setting that may differ between machines comes through here, so a reader
can see at a glance what a deployment has to provide.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if value is None:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return default if value is None else int(value)


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_str(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_map(name: str) -> dict[str, str]:
    """``KEY=value;KEY=value`` (values may contain "=" and ",", as LDAP DNs do)."""
    value = env_str(name)
    if value is None:
        return {}
    pairs = (item.split("=", 1) for item in value.split(";") if "=" in item)
    return {key.strip(): val.strip() for key, val in pairs}


SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
DATABASE_URL = env_str("DATABASE_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "hocso-demo-2026")
# Where `make run` serves (host:port, given to runserver); the demo's links and printed address use it.
HOST = env_str("HOST", "127.0.0.1:8000")
EMAIL_URL_HOST = env_str("EMAIL_HOST")
H5P_PLAYER_ORIGIN = env_str("H5P_PLAYER_ORIGIN")
