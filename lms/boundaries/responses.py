"""How a refusal reaches the sender: JSON for the API and the xAPI intake, a page for people."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

JSON_PREFIXES = ("/api/", "/xapi/")


def wants_json(request) -> bool:
    path = request.path_info
    if path.startswith(JSON_PREFIXES) or path.endswith("/state"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def refusal(request, message: str, *, status: int = 400, retry_after: int | None = None) -> HttpResponse:
    """A response that states ``message``; no database access, so it also serves when the database is down."""
    if request.path_info.startswith("/xapi/"):
        response: HttpResponse = JsonResponse({"error": {"message": str(message), "code": status}}, status=status)
        response["X-Experience-API-Version"] = "1.0.3"
    elif wants_json(request):
        response = JsonResponse({"detail": str(message)}, status=status)
    else:
        html = render_to_string("lms/problem.html", {"message": message, "status": status}, request=None)
        response = HttpResponse(html, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
