from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.xapi import validation as xapi
from lms import spreadsheets
from lms.boundaries import BadInput, read_json
from lms.policy import can, profile_of

from . import playback, selectors
from .errors import H5PError, StatementError
from .models import H5PActivity, H5PAttempt
from .services.intake import statements_accept
from .services.state import h5p_user_data_save
from .services.statements import prepare as statement_flags
from .services.statements import statement_prepare

XAPI_VERSION = "1.0.3"


def _activity_for(request, pk: int, action: str) -> H5PActivity:
    activity = get_object_or_404(H5PActivity.objects.select_related("package"), pk=pk)
    if not can(request.user, action, activity):
        raise Http404  # don't reveal activities the user may not see
    return activity


def _home_page(request) -> str:
    """This site's address: the actor's ``account.homePage`` and the host of every activity IRI."""
    return _site_origin(request) + "/"


# ---- learner: the activity page with the sandboxed player ----


@login_required
@require_GET
def activity_detail(request, pk: int):
    activity = _activity_for(request, pk, "h5p.play")
    person = profile_of(request.user)
    attempt = H5PAttempt.objects.filter(person=person, activity=activity).order_by("-started_at", "-id").first()
    return render(request, "h5p/activity.html", {"activity": activity, "attempt": attempt})


@never_cache
@login_required
@require_GET
def launch(request, pk: int):
    """Per-learner player settings for a page that shows the activity (lesson bodies are cached
    for everyone, so nothing personal is rendered into them)."""
    activity = _activity_for(request, pk, "h5p.play")
    token = playback.make_token(user=request.user, activity=activity)
    origin = playback.player_origin()
    return JsonResponse(
        {
            "playerUrl": origin + reverse("h5p:player", args=[token]),
            "playerOrigin": origin or "null",
            "sandbox": "" if origin else "allow-scripts allow-popups allow-forms",
            "statementsUrl": reverse("h5p:statements"),
            "stateUrl": reverse("h5p:state", args=[activity.pk]),
            "csrfToken": get_token(request),
        }
    )


def _grant_activity(token: str) -> tuple[object, H5PActivity]:
    grant = playback.read_token(token)
    if grant is None:
        raise Http404
    user = playback.grant_user(grant)
    activity = H5PActivity.objects.select_related("package").filter(pk=grant.activity_id).first()
    if user is None or activity is None or not can(user, "h5p.play", activity):
        raise Http404
    return user, activity


def _site_origin(request) -> str:
    """The origin of the pages that embed the player (the parent that receives postMessage)."""
    return getattr(settings, "H5P_SITE_ORIGIN", "") or request.build_absolute_uri("/").rstrip("/")


def _sandbox_headers(response, *, frame_ancestor: str = "") -> None:
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    if frame_ancestor:
        # Even when opened outside our iframe the player runs with an opaque origin, and only
        # our own pages may frame it.
        response["Content-Security-Policy"] = (
            f"sandbox allow-scripts allow-popups allow-forms; frame-ancestors {frame_ancestor}"
        )
    else:
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
        # The sandboxed player has an opaque origin; fetch() and fonts need CORS. The token in
        # the URL is the capability, so no credentials are involved.
        response["Access-Control-Allow-Origin"] = "*"


@never_cache
@xframe_options_exempt  # framing is limited by CSP frame-ancestors instead (works across origins)
@require_GET
def player(request, token: str):
    user, activity = _grant_activity(token)
    person = profile_of(user)
    files = reverse("h5p:file", args=[token, "h5p.json"]).rsplit("/", 1)[0]
    config = {
        "activity": activity.pk,
        "h5pJsonPath": files,
        "frameJs": static("h5p-standalone/frame.bundle.js"),
        "frameCss": static("h5p-standalone/styles/h5p.css"),
        "contentId": f"hocso-{activity.pk}",
        # On the site's host even when the player has its own origin: the intake refuses any other.
        "iri": _site_origin(request) + reverse("h5p:activity", args=[activity.pk]),
        "parentOrigin": _site_origin(request),
        "contentUserData": selectors.user_data_for(person, activity) if person else {},
    }
    response = render(request, "h5p/player.html", {"config": config, "activity": activity})
    _sandbox_headers(response, frame_ancestor=_site_origin(request))
    return response


@require_GET
def package_file(request, token: str, path: str):
    _user, activity = _grant_activity(token)
    resolved = playback.resolve_file(activity, path)
    if resolved is None:
        raise Http404
    content_type = playback.content_type_for(resolved.name)
    response = FileResponse(resolved.open("rb"), content_type=content_type)
    if content_type == "application/octet-stream":
        response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = "private, max-age=3600"
    _sandbox_headers(response)
    return response


# ---- xAPI intake ----


def _xapi_response(data, status: int = 200) -> HttpResponse:
    response = JsonResponse(data, status=status, safe=False) if data is not None else HttpResponse(status=status)
    response["X-Experience-API-Version"] = XAPI_VERSION
    return response


def _xapi_error(message: str, status: int) -> HttpResponse:
    return _xapi_response({"error": {"message": message, "code": status}}, status=status)


@never_cache
@require_http_methods(["POST", "PUT"])
def statements(request):
    """``POST /xapi/statements`` (one statement or a list) and ``PUT ?statementId=`` (one)."""
    if not request.user.is_authenticated:
        return _xapi_error(_("Sign in first."), 401)
    if not xapi.version_supported(request.headers.get("X-Experience-API-Version")):
        return _xapi_error(_("Missing or unsupported X-Experience-API-Version header (use 1.0.3)."), 400)
    limit = getattr(settings, "H5P_MAX_STATEMENT_BYTES", 64 * 1024)
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return _xapi_error(_("The request is larger than %(limit)d bytes.") % {"limit": limit}, 413)
    if request.content_type != "application/json":
        return _xapi_error(_("Send statements as application/json."), 400)
    body = request.body
    if len(body) > limit:
        return _xapi_error(_("The request is larger than %(limit)d bytes.") % {"limit": limit}, 413)
    person = profile_of(request.user)
    if person is None or not can(request.user, "learning.take"):
        return _xapi_error(_("Only learners can send statements."), 403)
    try:
        items = xapi.parse_statements(body)
    except xapi.XAPIError as exc:
        return _xapi_error(str(exc), 400)
    if request.method == "PUT":
        statement_id = request.GET.get("statementId", "")
        if not statement_id:
            return _xapi_error(_("PUT needs the statementId parameter."), 400)
        if len(items) != 1 or not isinstance(items[0], dict):
            return _xapi_error(_("PUT takes exactly one statement."), 400)
        if items[0].get("id") not in (None, statement_id):
            return _xapi_error(_("The statement id differs from statementId."), 409)
        items[0] = {**items[0], "id": statement_id}
    try:
        ids = _record_all(request, person, items)
    except StatementError as exc:
        return _xapi_error(exc.message, exc.status)
    if request.method == "PUT":
        return _xapi_response(None, 204)
    return _xapi_response(ids)


def _record_all(request, person, items) -> list[str]:
    """Validate every statement first (a bad one refuses the whole request, as xAPI asks for a
    batch), then store or queue them together (``services.intake``)."""
    home_page = _home_page(request)
    entries = [
        statement_prepare(user=request.user, person=person, statement=item, home_page=home_page) for item in items
    ]
    return statements_accept(entries)


# ---- resume state, relayed by the parent page ----

STATE_MAX_BYTES = 256 * 1024  # the envelope; the state itself is capped by the service
STATE_MAX_DEPTH = 16  # the envelope is flat: H5P sends its state as JSON text inside it


@login_required
@require_POST
def save_state(request, pk: int):
    activity = _activity_for(request, pk, "h5p.play")
    try:
        payload = read_json(request.body, max_bytes=STATE_MAX_BYTES, max_depth=STATE_MAX_DEPTH)
    except BadInput as exc:
        return JsonResponse({"detail": exc.message}, status=exc.status)
    if not isinstance(payload, dict):
        return JsonResponse({"detail": _("The body must be a JSON object.")}, status=400)
    try:
        h5p_user_data_save(
            person=profile_of(request.user),
            activity=activity,
            data_type=payload.get("dataType", "state"),
            sub_content_id=payload.get("subContentId", "0"),
            data=payload.get("data"),
        )
    except H5PError as exc:
        return JsonResponse({"detail": exc.message}, status=400)
    return JsonResponse({"saved": True})


# ---- trainers: results per activity ----


@login_required
@require_GET
def results(request, pk: int):
    activity = _activity_for(request, pk, "h5p.view_results")
    attempts = list(selectors.attempts_for_activity(activity))
    return render(request, "h5p/results.html", {"activity": activity, "attempts": attempts})


# The flags of an attempt as the results page names them.
FLAG_LABELS = {
    statement_flags.FLAG_NO_INTERACTIONS: gettext_lazy("score with no interactions"),
    statement_flags.FLAG_TOO_FAST: gettext_lazy("implausibly fast"),
    statement_flags.FLAG_CLAIM_DIFFERS: gettext_lazy("claimed score differed"),
    statement_flags.FLAG_CLAIM_CLAMPED: gettext_lazy("claimed score clamped"),
    statement_flags.FLAG_PARTLY_SELF_REPORTED: gettext_lazy("partly self-reported"),
}


@login_required
@require_GET
def results_csv(request, pk: int):
    """The results as CSV, in the reader's language, time zone (named in the headers) and decimal mark."""
    activity = _activity_for(request, pk, "h5p.view_results")
    headers = [
        _("Employee number"),
        _("Full name"),
        _("Unit"),
        _("Started"),
        _("Completed"),
        _("Score"),
        _("Maximum"),
        _("Percent"),
        _("Passed"),
        _("Grading"),
        _("Claimed score"),
        _("Flags"),
    ]
    rows = (
        (
            attempt.person.employee_number,
            attempt.person.full_name,
            attempt.person.unit.code,
            attempt.started_at,
            attempt.completed_at,
            attempt.score_raw,
            attempt.score_max,
            attempt.percent,
            {True: _("yes"), False: _("no"), None: ""}[attempt.passed],
            attempt.get_grading_display() if attempt.grading else "",
            attempt.claimed_raw,
            "; ".join(str(FLAG_LABELS.get(flag, flag)) for flag in attempt.flags),
        )
        for attempt in selectors.attempts_for_activity(activity)
    )
    return spreadsheets.csv_response(f"h5p-activity-{activity.pk}-results.csv", headers, rows)
