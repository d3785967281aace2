"""What every LRS resource shares: HTTP Basic credentials, the version header, errors, HEAD.

``lrs_view`` wraps a resource view: it answers the version header on every response, refuses a
request without valid credentials (401, with ``WWW-Authenticate``), without a supported
``X-Experience-API-Version`` (400; About excepted), with a method the resource does not take
(405), or with a parameter it does not know (400), and turns an ``LRSError`` into its status
and a JSON message. A HEAD request is answered as GET without its body.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from lms.boundaries import BadInput
from lms.boundaries.params import check_text

from ..errors import LRSError
from ..services.credentials import credential_authenticate
from ..validation import version_supported

logger = logging.getLogger(__name__)

XAPI_VERSION = "1.0.3"


def xapi_response(data=None, status: int = 200, **headers) -> HttpResponse:
    if data is None:
        response = HttpResponse(status=status)
    else:
        response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["X-Experience-API-Version"] = XAPI_VERSION
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def xapi_error(message: str, status: int) -> HttpResponse:
    response = xapi_response({"error": {"code": status, "message": message}}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="HocSo LRS", charset="UTF-8"'
    return response


def site_home(request) -> str:
    """This site's address: the ``homePage`` of its accounts (officers, credentials)."""
    origin = getattr(settings, "H5P_SITE_ORIGIN", "") or request.build_absolute_uri("/").rstrip("/")
    return origin + "/"


def lrs_view(
    methods: tuple[str, ...], params: frozenset[str] | None = None, *, anonymous: bool = False, versioned: bool = True
) -> Callable:
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and "method" in request.GET:
                refused = _alternate_syntax(request)
                if refused is not None:
                    return refused
            method = request.method
            if method not in allowed:
                response = xapi_error(_("This resource does not take %(method)s.") % {"method": method}, 405)
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            credential = None
            if not anonymous:
                credential = credential_authenticate(request.headers.get("Authorization"))
                if credential is None:
                    return xapi_error(_("Unknown, revoked or missing LRS credentials (HTTP Basic)."), 401)
            if versioned and not version_supported(request.headers.get("X-Experience-API-Version")):
                return xapi_error(_("Missing or unsupported X-Experience-API-Version header (use 1.0.3)."), 400)
            if params is not None:
                unknown = sorted(set(request.GET) - params)
                if unknown:
                    return xapi_error(_("Unknown parameter: %(names)s.") % {"names": ", ".join(unknown)}, 400)
            request.lrs_credential = credential
            try:
                response = view(request, *args, **kwargs)
            except LRSError as exc:
                response = xapi_error(exc.message, exc.status)
            response["X-Experience-API-Version"] = XAPI_VERSION
            if method == "HEAD":
                response.content = b""
            return response

        return csrf_exempt(never_cache(wrapper))

    return decorate


ALTERNATE_HEADERS = {
    "authorization": "HTTP_AUTHORIZATION",
    "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
    "content-type": "CONTENT_TYPE",
    "if-match": "HTTP_IF_MATCH",
    "if-none-match": "HTTP_IF_NONE_MATCH",
    "accept-language": "HTTP_ACCEPT_LANGUAGE",
}


def _alternate_syntax(request) -> HttpResponse | None:
    """xAPI 1.0.3 Communication 1.3: a POST with ``?method=`` (its only parameter) and a form body that
    carries the real method's headers, parameters and ``content``. The request is rewritten in place
    into the request it stands for; a malformed one is refused (400)."""
    import io

    from django.http import QueryDict

    if set(request.GET) != {"method"}:
        return xapi_error(_("With the method parameter, every other parameter goes in the form body."), 400)
    wanted = request.GET["method"].upper()
    if wanted not in ("GET", "HEAD", "PUT", "POST", "DELETE"):
        return xapi_error(_("Unknown method: %(method)s.") % {"method": wanted}, 400)
    if (request.content_type or "") != "application/x-www-form-urlencoded":
        return xapi_error(_("The alternate request syntax needs a form body (application/x-www-form-urlencoded)."), 400)
    try:
        raw = read_body(request)
        form = QueryDict(raw, encoding="utf-8")
    except LRSError as exc:
        return xapi_error(exc.message, exc.status)
    params = QueryDict(mutable=True)
    content = b""
    for name, values in form.lists():
        low = name.lower()
        if low in ALTERNATE_HEADERS:
            request.META[ALTERNATE_HEADERS[low]] = values[-1]
        elif low == "content":
            content = values[-1].encode("utf-8")
        elif low == "content-length":
            continue
        else:
            params.setlist(name, values)
    try:  # what the parameter middleware checks of a query string, checked again of the form's parameters
        for name, values in [*params.lists(), *((h, [request.META.get(m, "")]) for h, m in ALTERNATE_HEADERS.items())]:
            check_text(name, name=name)
            for value in values:
                check_text(value, name=name)
    except BadInput as exc:
        return xapi_error(exc.message, exc.status)
    request.method = wanted
    request.GET = params
    request.META["CONTENT_LENGTH"] = str(len(content))
    request._stream = io.BytesIO(content)
    request._read_started = False
    request.__dict__.pop("headers", None)  # a cached property: read again from META
    request._set_content_type_params(request.META)
    return None


def read_body(request, *, limit: int | None = None) -> bytes:
    """The request body, refused with 413 past ``limit`` bytes (told by Content-Length or found).

    Read from the stream (not ``request.body``), so the LRS's own limits apply rather than
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    limit = limit or settings.XAPI_MAX_BODY_BYTES
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise LRSError(_("The request is larger than %(limit)d bytes.") % {"limit": limit}, 413)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise LRSError(_("The request is larger than %(limit)d bytes.") % {"limit": limit}, 413)
    return body


def parse_bool(request, name: str) -> bool:
    value = request.GET.get(name)
    if value is None:
        return False
    if value not in ("true", "false"):
        raise LRSError(_("The parameter %(name)s must be true or false.") % {"name": name}, 400)
    return value == "true"


def parse_params_json(value: str, name: str):
    from lms.boundaries import BadInput, read_json

    try:
        return read_json(value)  # the strict reader (lms.boundaries): NUL, surrogates, depth, number range
    except BadInput:
        raise LRSError(_("The parameter %(name)s must be JSON.") % {"name": name}, 400) from None
