"""Play tokens and file lookup for the sandboxed player.

The player iframe runs package JavaScript with an opaque origin (``sandbox="allow-scripts"``
without ``allow-same-origin``, or a separate cookieless origin), so it carries no session.
The parent page, which is signed in, hands it a short-lived signed token naming the learner and
the activity; package files are served against that token, to nobody else.

The token is bound to the session that launched it: it carries a random binding id whose session key stays on
the server (in the cache), never in the URL. It stops working when that session ends (sign-out, idle timeout)
and after ``TOKEN_MAX_AGE`` in any case, and a browser signed in as someone else cannot use it.
"""

from __future__ import annotations

import mimetypes
import secrets
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import signing
from django.core.cache import cache

from lms.boundaries.params import digits

from .models import H5PActivity, H5PLibrary

TOKEN_SALT = "hocso.h5p.play"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = 2 * 60 * 60  # a long video still plays; the session binding usually ends it sooner
BINDING_PREFIX = "h5p:play:"

# Types we serve for package files; anything else goes out as a download-only octet stream.
CONTENT_TYPES = {
    "js": "text/javascript",
    "css": "text/css",
    "json": "application/json",
    "svg": "image/svg+xml",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "eot": "application/vnd.ms-fontobject",
    "vtt": "text/vtt",
    "webvtt": "text/vtt",
    "txt": "text/plain",
    "md": "text/plain",
    "map": "application/json",
}
INLINE_PREFIXES = ("image/", "audio/", "video/", "font/")


@dataclass(frozen=True)
class PlayGrant:
    user_id: int
    activity_id: int
    binding: str


def make_token(*, user, activity: H5PActivity, session_key: str) -> str:
    binding = secrets.token_urlsafe(16)
    cache.set(BINDING_PREFIX + binding, session_key, TOKEN_MAX_AGE)
    return signing.dumps({"u": user.pk, "a": activity.pk, "b": binding}, salt=TOKEN_SALT, compress=True)


def read_token(token: str) -> PlayGrant | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        return PlayGrant(int(data["u"]), int(data["a"]), str(data["b"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def grant_user(grant: PlayGrant):
    """The learner of ``grant`` while the session that launched it lives (None once it has ended)."""
    session_key = cache.get(BINDING_PREFIX + grant.binding)
    if not session_key:
        return None
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if str(session.get(SESSION_KEY, "")) != str(grant.user_id):  # signed out, expired, or not theirs
        return None
    return get_user_model().objects.filter(pk=grant.user_id, is_active=True).first()


def content_type_for(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in CONTENT_TYPES:
        return CONTENT_TYPES[ext]
    guessed, _enc = mimetypes.guess_type(name)
    if guessed and guessed.startswith(INLINE_PREFIXES) or guessed == "application/pdf":
        return guessed
    return "application/octet-stream"


def resolve_file(activity: H5PActivity, relative: str) -> Path | None:
    """The file on disk for ``relative`` inside the activity's package (or a library another
    package provides, for content-only packages); None when absent or outside the folders."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    base = activity.package.directory
    candidate = base / relative
    if not candidate.is_file() and len(parts) > 1 and parts[0] not in ("content", "h5p.json"):
        provider = _library_provider(parts[0])
        if provider is None:
            return None
        base = provider
        candidate = base / relative
    try:
        resolved = candidate.resolve(strict=True)
    except (FileNotFoundError, OSError):
        return None
    if not resolved.is_file() or not resolved.is_relative_to(base.resolve()):
        return None
    return resolved


def _library_provider(directory: str) -> Path | None:
    name, _sep, version = directory.rpartition("-")
    major, _dot, minor = version.partition(".")
    if not (name and digits(major) and digits(minor)):
        return None
    library = H5PLibrary.objects.select_related("package").filter(machine_name=name, major=major, minor=minor).first()
    return library.package.directory if library else None


def player_origin() -> str:
    return getattr(settings, "H5P_PLAYER_ORIGIN", "") or ""
