"""The Content-Security-Policy of every page: the one module that knows django-csp.

The policy: scripts only from this site (and, where a page needs one inline script, its per-request nonce,
``{{ CSP_NONCE }}`` in templates), no plugins (``object-src 'none'``), no ``<base>`` pointing elsewhere, forms
posted only here, and only this site may frame a page (Wagtail's preview frames its own pages). Styles may be
inline: the Wagtail admin and plotly set style attributes, and styles cannot run code. Frames may show this
site, the H5P player's own origin and embedded videos (https). The H5P player and its package files send their
own, stricter sandbox policy (``courses.h5p.views``), which the middleware leaves in place (it never replaces a
header a view has set).

The Wagtail admin (``/admin/``) is the one exception: Wagtail 8 still inserts inline scripts in its page
listing and editor, so there ``script-src`` allows 'unsafe-inline' (and no nonce, which would cancel it). Every
other directive holds there too.

The frame sources (the H5P and SCORM players' origins) and form targets (the sign-on provider) are added per
request, from the current settings and the request's host: the SCORM player on a local host is this server under
the other spelling of the host, known only per request.

To swap django-csp for Django's own CSP (Django 6), change this module and the names settings take from it.
(Not named ``csp.py``: run from inside ``lms/``, as ``make messages`` does, it would hide django-csp's ``csp``.)
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware as _LibraryMiddleware

MIDDLEWARE = "lms.content_policy.CSPMiddleware"
CONTEXT_PROCESSOR = "csp.context_processors.nonce"
ADMIN_PREFIX = "/admin/"
FRAME_SOURCES = [SELF, "https:"]
FORM_TARGETS = [SELF]


class CSPMiddleware(_LibraryMiddleware):
    """django-csp's middleware, with the admin's one relaxation (see the module's docstring)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        update = dict(parts.update or {})
        if request.path_info.startswith(ADMIN_PREFIX):
            update["script-src"] = [UNSAFE_INLINE]
            parts.nonce = None
        frames, forms = _request_origins(request)
        if frames:
            update["frame-src"] = sorted(set(FRAME_SOURCES + frames))
        if forms:
            update["form-action"] = sorted(set(FORM_TARGETS + forms))
        parts.update = update or None
        return parts


def _request_origins(request) -> tuple[list[str], list[str]]:
    from django.conf import settings

    site = f"{request.scheme}://{request.get_host()}"
    try:
        from courses.scorm.playback import player_origin as scorm_player_origin

        scorm = scorm_player_origin(site)
    except Exception:  # noqa: BLE001 - no SCORM app or a host it cannot read: no extra frame source
        scorm = ""
    frames = [o for o in (_origin(scorm), _origin(getattr(settings, "H5P_PLAYER_ORIGIN", ""))) if o]
    forms = [o for o in (_origin(getattr(settings, "OIDC_ISSUER", "") or ""),) if o]
    for provider in (getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}) or {}).values():
        for app in provider.get("APPS", []) if isinstance(provider, dict) else []:
            url = (app.get("settings") or {}).get("server_url", "")
            if _origin(url):
                forms.append(_origin(url))
    return frames, forms


def _origin(url: str) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy() -> dict:
    """The ``CONTENT_SECURITY_POLICY`` setting; the middleware adds the per-request origins to it."""
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF, "'unsafe-inline'"],
            "img-src": [SELF, "data:", "blob:", "https:"],
            "font-src": [SELF, "data:"],
            "connect-src": [SELF],
            "media-src": [SELF, "blob:"],
            "frame-src": FRAME_SOURCES,
            "worker-src": [SELF, "blob:"],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": FORM_TARGETS,
            "frame-ancestors": [SELF],
        }
    }
