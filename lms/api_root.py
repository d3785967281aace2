"""The JSON API under /api/v1/. Each app contributes a router; errors are JSON a person can act on."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from .api_auth import bearer, session
from .boundaries import BadInput, read_json

API_MAX_BODY = 256 * 1024


class StrictParser(Parser):
    """Request bodies through the one strict JSON reader (lms.boundaries)."""

    def parse_body(self, request):
        return read_json(request.body, max_bytes=API_MAX_BODY)


api = NinjaAPI(
    title="HocSo API",
    version="1",
    description="HocSo learning platform: organisation, courses, assessments, competencies and reports.",
    auth=[bearer, session],
    urls_namespace="api_v1",
    docs_url="/docs",
    parser=StrictParser(),
)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(
        request,
        {"detail": _("Authentication required: sign in, or send the header “Authorization: Bearer <token>”.")},
        status=401,
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    problems = []
    for error in exc.errors:
        location = ".".join(str(part) for part in error.get("loc", []) if part not in ("body", "payload"))
        problems.append({"field": location, "message": error.get("msg", "")})
    summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return api.create_response(
        request, {"detail": _("Invalid request: %(summary)s") % {"summary": summary}, "errors": problems}, status=400
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    cause = exc.__cause__
    if isinstance(cause, BadInput):  # ninja wraps the parser's refusal in "Cannot parse request body"
        return api.create_response(request, {"detail": cause.message}, status=cause.status)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register_routers():
    """Each app may contribute ``<app>.api.router``; it is mounted at the API root."""
    from .extensions import optional_modules

    for module in optional_modules("api"):
        api.add_router("", module.router)


_register_routers()
