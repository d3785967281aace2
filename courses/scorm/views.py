"""SCORM views. Two kinds:

* on the site (signed in): the activity page, the launch (a play token for this learner and
  session), and trainers' results;
* on the player origin (no cookies; the token in the address is the capability): the player page
  holding scorm-again and the table of contents, the package files, and the CMI commits.

Player-origin views answer 404 on any other host, so package code never runs on the site's origin.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from lms import spreadsheets
from lms.boundaries import BadInput, read_json
from lms.policy import can, profile_of

from . import playback, selectors
from .errors import CMIError, CommitRefused
from .models import SCORMActivity
from .services import scorm_commit, scorm_launch
from .services.runtime import commit_grant_check, scorm_initial_values

MAX_COMMIT_BYTES = 512 * 1024
MAX_SEQUENCE = 2**31 - 1  # the column's bound


def _activity_for(request, pk: int, action: str) -> SCORMActivity:
    activity = get_object_or_404(SCORMActivity.objects.select_related("package"), pk=pk)
    if not can(request.user, action, activity):
        raise Http404  # don't reveal activities the user may not see
    return activity


def _site_origin(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# ---- on the site ----


@login_required
@require_GET
def activity_detail(request, pk: int):
    activity = _activity_for(request, pk, "scorm.play")
    attempt = selectors.attempt_for(profile_of(request.user), activity)
    return render(request, "scorm/activity.html", {"activity": activity, "attempt": attempt})


@never_cache
@login_required
@require_POST
def launch(request, pk: int):
    """A new launch for this learner: the player address with a signed token bound to this session.
    A POST because it makes this launch the one that may save (an older window then stops)."""
    activity = _activity_for(request, pk, "scorm.play")
    person = profile_of(request.user)
    if person is None:
        return JsonResponse({"detail": _("Only learners can play SCORM packages.")}, status=403)
    site = _site_origin(request)
    origin = playback.player_origin(site)
    if not origin:
        return JsonResponse(
            {"detail": _("SCORM packages cannot be played here yet: the player's own address is not configured.")},
            status=503,
        )
    if not request.session.session_key:
        request.session.save()
    token = playback.make_token(
        user=request.user, activity=activity, session_key=request.session.session_key, site_origin=site
    )
    grant = playback.read_token(token)
    scorm_launch(person=person, activity=activity, launch=grant.launch)
    return JsonResponse({"playerUrl": origin + reverse("scorm:player", args=[token]), "playerOrigin": origin})


@login_required
@require_GET
def results(request, pk: int):
    activity = _activity_for(request, pk, "scorm.view_results")
    attempts = list(selectors.attempts_for_activity(activity))
    return render(request, "scorm/results.html", {"activity": activity, "attempts": attempts})


@login_required
@require_GET
def results_csv(request, pk: int):
    activity = _activity_for(request, pk, "scorm.view_results")
    headers = [
        _("Employee number"),
        _("Full name"),
        _("Unit"),
        _("Started"),
        _("Completed"),
        _("Percent"),
        _("Passed"),
        _("Total time (minutes)"),
    ]
    rows = (
        (
            a.person.employee_number,
            a.person.full_name,
            a.person.unit.code,
            a.started_at,
            a.completed_at,
            a.percent,
            {True: _("yes"), False: _("no"), None: ""}[a.passed],
            round(a.total_seconds / 60, 1),
        )
        for a in selectors.attempts_for_activity(activity)
    )
    return spreadsheets.csv_response(f"scorm-activity-{activity.pk}-results.csv", headers, rows)


# ---- on the player origin ----


def _on_player_origin(request, grant: playback.PlayGrant) -> None:
    origin = playback.player_origin(grant.site_origin)
    if not origin or request.get_host().lower() != (urlsplit(origin).netloc or "").lower():
        raise Http404


def _grant(request, token: str) -> playback.PlayGrant:
    grant = playback.read_token(token)
    if grant is None:
        raise Http404
    _on_player_origin(request, grant)
    return grant


def _player_headers(response, *, ancestors: str) -> None:
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    # Package code runs here, on the player origin (never the site's): it may script its own frames
    # (SCORM needs that to reach the API), and only this origin and the site may frame it.
    response["Content-Security-Policy"] = (
        f"sandbox allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads; frame-ancestors {ancestors}"
    )


@never_cache
@xframe_options_exempt  # framing is limited by CSP frame-ancestors instead (works across origins)
@require_GET
def player(request, token: str):
    grant = _grant(request, token)
    if grant.language in ("vi", "en"):
        translation.activate(grant.language)
        request.LANGUAGE_CODE = grant.language
    try:
        _user, person, activity = commit_grant_check(grant)
    except CommitRefused:
        raise Http404 from None
    attempt = selectors.attempt_for(person, activity)
    if attempt is None or attempt.launch_key != grant.launch:
        raise Http404  # signed out of the session it was launched in, or launched again since
    states = selectors.sco_states_for(attempt)
    package = activity.package
    files = reverse("scorm:file", args=[token, "x"])[:-1]
    items = [
        {
            "identifier": item["identifier"],
            "title": item["title"],
            "depth": item["depth"],
            "launch": item.get("launch") or "",
            "asset": item.get("scorm_type") == "asset",
            "parameters": item.get("parameters") or "",
            "status": _status_of(states.get(item["identifier"])),
        }
        for item in package.items
    ]
    config = {
        "version": "1.2" if package.version == "1.2" else "2004",
        "filesBase": files,
        "commitUrl": reverse("scorm:commit", args=[token]),
        "items": items,
        "initial": scorm_initial_values(person=person, activity=activity, attempt=attempt),
        "resumeItem": _resume_item(package, states),
        "parentOrigin": grant.site_origin,
        "texts": {
            "superseded": _(
                "This activity was opened in another window or device; progress is saved there. Reload this page."
            ),
            "failed": _("Your progress could not be saved. Check the connection; it is tried again at the next step."),
        },
    }
    script = "scorm12.min.js" if config["version"] == "1.2" else "scorm2004.min.js"
    response = render(
        request,
        "scorm/player.html",
        {"config": config, "activity": activity, "items": items, "api_script": static(f"scorm-again/{script}")},
    )
    _player_headers(response, ancestors=grant.site_origin)
    return response


def _status_of(state) -> str:
    if state is None:
        return "not attempted"
    if state.success_status in ("passed", "failed"):
        return state.success_status
    return state.completion_status


def _resume_item(package, states) -> str:
    """The item to open: the last one saved that is not finished, else the first one not finished."""
    launchable = [i["identifier"] for i in package.launchable_items]
    unfinished = [s for s in states.values() if s.completion_status != "completed" and s.item_identifier in launchable]
    if unfinished:
        return max(unfinished, key=lambda s: s.updated_at).item_identifier
    for identifier in launchable:
        if identifier not in states:
            return identifier
    return launchable[0] if launchable else ""


@require_GET
def package_file(request, token: str, path: str):
    grant = _grant(request, token)
    activity = SCORMActivity.objects.select_related("package").filter(pk=grant.activity_id).first()
    if activity is None or playback.grant_user(grant) is None:
        raise Http404
    resolved = playback.resolve_file(activity, path)
    if resolved is None:
        raise Http404
    content_type = playback.content_type_for(resolved.name)
    response = FileResponse(resolved.open("rb"), content_type=content_type)
    if content_type == "application/octet-stream":
        response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = "private, max-age=3600"
    _player_headers(response, ancestors=f"'self' {grant.site_origin}")
    return response


def _commit_answer(result: bool, error_code: int = 0, *, status: int = 200, message: str = "") -> JsonResponse:
    body = {"result": "true" if result else "false", "errorCode": error_code}
    if message:
        body["error"] = message
    return JsonResponse(body, status=status)


@csrf_exempt  # no cookies on the player origin: the signed token is the credential
@never_cache
@require_POST
def commit(request, token: str):
    """``POST {"sco": item, "cmi": {flattened CMI}, "sequence": n}`` from scorm-again (also as a
    text/plain beacon when the window closes). Answers ``{"result": "true", "errorCode": 0}``, or
    ``"false"`` with the SCORM error code of a refused value (nothing of that commit is stored)."""
    grant = _grant(request, token)
    if grant.language in ("vi", "en"):
        translation.activate(grant.language)
    if len(request.body) > MAX_COMMIT_BYTES:
        return _commit_answer(False, 101, status=413, message=_("The data sent is too large."))
    try:
        # The strict reader: a NUL, a lone surrogate, deep nesting or an out-of-range number is a refusal
        # with a reason, never a database error.
        payload = read_json(request.body)
    except BadInput as exc:
        return _commit_answer(False, 101, status=400, message=exc.message)
    if not isinstance(payload, dict):
        return _commit_answer(False, 101, status=400, message=_("The body must be a JSON object."))
    sequence = payload.get("sequence")
    if sequence is not None and (
        isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence <= MAX_SEQUENCE
    ):
        return _commit_answer(False, 101, status=400, message=_("The commit sequence must be a whole number."))
    try:
        scorm_commit(grant=grant, item_identifier=payload.get("sco"), values=payload.get("cmi"), sequence=sequence)
    except CMIError as exc:
        return _commit_answer(False, exc.scorm_code, status=400, message=exc.message)
    except CommitRefused as exc:
        return _commit_answer(False, 101, status=exc.status, message=exc.message)
    return _commit_answer(True)
