"""Play tokens, the player origin and file lookup for the SCORM player.

SCORM content finds the run-time API (``window.API`` / ``window.API_1484_11``) in a parent frame,
so the player page (which holds scorm-again) and the content frame inside it must share an origin.
That origin is the player origin: a host of its own that never sees the site's cookies. The
signed-in parent page hands the player a short-lived signed token naming the learner, the
activity and the launch (bound to the learner's session by a hash of its key); package files
and CMI commits are accepted against that token, to nobody else.
"""

from __future__ import annotations

import hashlib
import mimetypes
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils import translation

from .models import SCORMActivity

TOKEN_SALT = "hocso.scorm.play"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = 4 * 60 * 60

CONTENT_TYPES = {
    "html": "text/html",
    "htm": "text/html",
    "js": "text/javascript",
    "css": "text/css",
    "json": "application/json",
    "xml": "application/xml",
    "xsd": "application/xml",
    "svg": "image/svg+xml",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "vtt": "text/vtt",
    "txt": "text/plain",
}
INLINE_PREFIXES = ("image/", "audio/", "video/", "font/")


@dataclass(frozen=True)
class PlayGrant:
    user_id: int
    activity_id: int
    launch: str  # random per launch: a newer launch of the same attempt takes over saving
    session: str  # hash of the session key the launch was made in
    site_origin: str  # the page that frames the player (frame-ancestors)
    language: str = ""  # the learner's language: the player origin has no language cookie


def session_hash(session_key: str | None) -> str:
    return hashlib.sha256(f"scorm:{session_key or ''}".encode()).hexdigest()[:32]


def make_token(*, user, activity: SCORMActivity, session_key: str | None, site_origin: str) -> str:
    payload = {
        "u": user.pk,
        "a": activity.pk,
        # The launch names its session: signing out of that session ends the launch (``scorm_launches_end``).
        "l": f"{session_hash(session_key)}:{secrets.token_hex(8)}",
        "s": session_hash(session_key),
        "o": site_origin,
        "g": translation.get_language() or "",
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def read_token(token: str, *, max_age: int | None = None) -> PlayGrant | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=max_age or TOKEN_MAX_AGE)
        return PlayGrant(
            int(data["u"]), int(data["a"]), str(data["l"]), str(data["s"]), str(data["o"]), str(data.get("g") or "")
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def grant_user(grant: PlayGrant):
    return get_user_model().objects.filter(pk=grant.user_id, is_active=True).first()


def content_type_for(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in CONTENT_TYPES:
        return CONTENT_TYPES[ext]
    guessed, _enc = mimetypes.guess_type(name)
    if guessed and (guessed.startswith(INLINE_PREFIXES) or guessed == "application/pdf"):
        return guessed
    return "application/octet-stream"


def resolve_file(activity: SCORMActivity, relative: str) -> Path | None:
    """The file on disk for ``relative`` inside the activity's package; None when absent or outside it."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    base = activity.package.directory
    try:
        resolved = (base / relative).resolve(strict=True)
    except (FileNotFoundError, OSError):
        return None
    if not resolved.is_file() or not resolved.is_relative_to(base.resolve()):
        return None
    return resolved


LOCAL_SWAP = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}


def player_origin(site_origin: str) -> str:
    """The player's origin: ``SCORM_PLAYER_ORIGIN``, else ``H5P_PLAYER_ORIGIN``, else (on a local
    host, for development and tests) the same server under the other spelling of the local host,
    which browsers treat as another site. "" when none can be had: the player then refuses to run."""
    configured = getattr(settings, "SCORM_PLAYER_ORIGIN", "") or getattr(settings, "H5P_PLAYER_ORIGIN", "")
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(site_origin)
    host = parts.hostname or ""
    if host in LOCAL_SWAP:
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{LOCAL_SWAP[host]}{port}"
    return ""
