"""Answers when a service HocSo depends on is down (issue 18).

Django's own answer to an unexpected exception is its HTML 500 page, for the API and the xAPI intake as well.
:func:`server_error` (``handler500``) tells an outage (the database or Redis unreachable) from a bug: an outage
answers 503 with ``Retry-After`` (JSON for the API and the intake, a "temporarily unavailable" page for people, in
the language of their language cookie, since their profile is in the database that is down); anything else
answers a plain 500 in the same shapes. Nothing here touches the database.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .responses import refusal, wants_json

RETRY_AFTER_SECONDS = 30


def is_outage(exc: BaseException | None) -> bool:
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    try:
        import redis
    except ImportError:  # pragma: no cover - redis is a dependency
        return False
    return isinstance(exc, (redis.ConnectionError, redis.TimeoutError))


def _language(request) -> str:
    supported = {code for code, _name in settings.LANGUAGES}
    for candidate in (request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME), getattr(request, "LANGUAGE_CODE", None)):
        if candidate in supported:
            return candidate
    return settings.LANGUAGE_CODE


def server_error(request):
    exc = sys.exc_info()[1]
    with translation.override(_language(request)):
        if is_outage(exc):
            return refusal(
                request,
                _("HocSo is temporarily unavailable (a service it depends on is not answering)."),
                status=503,
                retry_after=RETRY_AFTER_SECONDS,
            )
        if wants_json(request):
            return refusal(request, _("Something went wrong on our side; it has been logged."), status=500)
        return HttpResponseServerError(render_to_string("500.html"))  # the product's own error page
