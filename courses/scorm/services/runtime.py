"""The SCORM run-time on the server: launching an attempt, and storing CMI commits.

``scorm_launch`` starts (or resumes) a learner's attempt and makes the new launch the one allowed
to save: a window left open elsewhere then gets "opened elsewhere" instead of overwriting newer
data. ``scorm_initial_values`` is what the player loads into scorm-again before the content
starts (resume: location, suspend data, statuses, score, total time, entry "resume").

``scorm_commit`` checks a commit (``cmi.cmi_check``: a bad value refuses the whole commit with
its SCORM error code, nothing is stored), stores the SCO's CMI data, adds the session time to the
total (the server's own sum, not the browser's), and rolls the SCOs up into the attempt. When the
attempt's outcome changes, a task records the evidence and completes the lessons (``outcome``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.policy import can, profile_of

from .. import cmi
from ..errors import CommitRefused
from ..models import SCORMActivity, SCORMAttempt, SCORMScoState, SCORMVersion
from ..playback import PlayGrant, grant_user

COMPLETED = "completed"


def _version(activity: SCORMActivity) -> str:
    return cmi.V12 if activity.package.version == SCORMVersion.V12 else cmi.V2004


@transaction.atomic
def scorm_launch(*, person, activity: SCORMActivity, launch: str) -> SCORMAttempt:
    attempt, _created = SCORMAttempt.objects.select_for_update().get_or_create(person=person, activity=activity)
    attempt.launch_key = launch
    attempt.save(update_fields=["launch_key"])
    return attempt


def scorm_launches_end(*, user, session_key: str | None) -> int:
    """Sign-out of a session ends the launches made in it: their play tokens stop saving (and the player page
    stops opening) at once, not when the token expires. Returns the number of launches ended."""
    from ..playback import session_hash

    if not session_key or user is None or not getattr(user, "pk", None):
        return 0
    return SCORMAttempt.objects.filter(
        person__user=user, launch_key__startswith=session_hash(session_key) + ":"
    ).update(launch_key="")


def scorm_initial_values(*, person, activity: SCORMActivity, attempt: SCORMAttempt | None) -> dict[str, dict]:
    """Per launchable item: the flattened CMI values scorm-again loads before the content starts."""
    version = _version(activity)
    states = {}
    if attempt is not None:
        states = {s.item_identifier: s for s in SCORMScoState.objects.filter(attempt=attempt)}
    name = person.full_name if person else ""
    learner_id = (person.employee_number if person else "") or str(getattr(person, "pk", ""))
    result: dict[str, dict] = {}
    for item in activity.package.launchable_items:
        state = states.get(item["identifier"])
        values: dict[str, str] = {}
        if version == cmi.V12:
            values["cmi.core.student_id"] = learner_id
            values["cmi.core.student_name"] = name
            if item.get("data_from_lms"):
                values["cmi.launch_data"] = item["data_from_lms"]
            if item.get("mastery_score") is not None:
                values["cmi.student_data.mastery_score"] = _number_text(item["mastery_score"])
            if state is not None:
                values["cmi.core.lesson_location"] = state.location
                values["cmi.suspend_data"] = state.suspend_data
                values["cmi.core.lesson_status"] = _lesson_status(state)
                values["cmi.core.total_time"] = cmi.format_timespan(version, state.total_seconds)
                values["cmi.core.entry"] = "resume" if state.exit == "suspend" else ""
                for key, field in (("raw", "score_raw"), ("min", "score_min"), ("max", "score_max")):
                    if getattr(state, field) is not None:
                        values[f"cmi.core.score.{key}"] = _number_text(getattr(state, field))
            else:
                values["cmi.core.entry"] = "ab-initio"
        else:
            values["cmi.learner_id"] = learner_id
            values["cmi.learner_name"] = name
            if item.get("data_from_lms"):
                values["cmi.launch_data"] = item["data_from_lms"]
            if item.get("completion_threshold") is not None:
                values["cmi.completion_threshold"] = _number_text(item["completion_threshold"])
            if state is not None:
                values["cmi.location"] = state.location
                values["cmi.suspend_data"] = state.suspend_data
                values["cmi.completion_status"] = state.completion_status
                values["cmi.success_status"] = state.success_status
                values["cmi.total_time"] = cmi.format_timespan(version, state.total_seconds)
                values["cmi.entry"] = "resume" if state.exit == "suspend" else ""
                for key in ("scaled", "raw", "min", "max"):
                    value = getattr(state, f"score_{key}")
                    if value is not None:
                        values[f"cmi.score.{key}"] = _number_text(value)
                if state.progress_measure is not None:
                    values["cmi.progress_measure"] = _number_text(state.progress_measure)
            else:
                values["cmi.entry"] = "ab-initio"
        result[item["identifier"]] = {k: v for k, v in values.items() if v is not None}
    return result


def _number_text(value: float) -> str:
    return f"{float(value):.6f}".rstrip("0").rstrip(".") or "0"


def _lesson_status(state: SCORMScoState) -> str:
    if state.success_status in ("passed", "failed"):
        return state.success_status
    if state.completion_status in ("completed", "incomplete", "not attempted"):
        return state.completion_status
    return "incomplete"


def commit_grant_check(grant: PlayGrant):
    """The user and activity a play token stands for, or ``CommitRefused``."""
    user = grant_user(grant)
    activity = SCORMActivity.objects.select_related("package").filter(pk=grant.activity_id).first()
    if user is None or activity is None or not can(user, "scorm.play", activity):
        raise CommitRefused(_("This activity is not available to you any more."), status=403, code="forbidden")
    person = profile_of(user)
    if person is None:
        raise CommitRefused(_("Only learners can save progress."), status=403, code="forbidden")
    return user, person, activity


@transaction.atomic
def scorm_commit(
    *,
    grant: PlayGrant,
    item_identifier: str,
    values,
    sequence: int | None = None,
) -> SCORMAttempt:
    """Store one commit of one SCO; see the module docstring. Raises ``CMIError`` (bad values) or
    ``CommitRefused`` (another launch took over, unknown item, no access)."""
    _user, person, activity = commit_grant_check(grant)
    item = activity.package.item(str(item_identifier or ""))
    if item is None:
        raise CommitRefused(_("The package has no item %(id)r.") % {"id": str(item_identifier)[:80]}, status=400)
    version = _version(activity)
    state_values = cmi.cmi_check(version, values, mastery_score=item.get("mastery_score"))
    attempt = SCORMAttempt.objects.select_for_update().filter(person=person, activity=activity).first()
    if attempt is None:
        raise CommitRefused(_("Open the activity again to continue."), status=409, code="no_attempt")
    if not attempt.launch_key:
        raise CommitRefused(
            _("You signed out of HocSo in this browser: sign in and open the activity again."),
            status=403,
            code="signed_out",
        )
    if attempt.launch_key != grant.launch:
        raise CommitRefused(
            _("This activity was opened in another window or device; progress is saved there. Reload this page."),
            status=409,
            code="superseded",
        )
    sco, _created = SCORMScoState.objects.select_for_update().get_or_create(
        attempt=attempt, item_identifier=item["identifier"]
    )
    if sco.session_key != grant.launch:
        # A new session of this SCO: the time so far becomes the base of the total.
        sco.previous_seconds = sco.total_seconds
        sco.session_key = grant.launch
        sco.sequence = 0
    elif sequence is not None and sequence <= sco.sequence:
        return attempt  # an older commit arriving late: what we have is newer
    if sequence is not None:
        sco.sequence = max(0, int(sequence))
    sco.location = state_values.location
    sco.suspend_data = state_values.suspend_data
    sco.completion_status = state_values.completion_status
    sco.success_status = state_values.success_status
    sco.score_raw = state_values.score_raw
    sco.score_min = state_values.score_min
    sco.score_max = state_values.score_max
    sco.score_scaled = state_values.score_scaled
    sco.progress_measure = state_values.progress_measure
    sco.exit = state_values.exit
    if item.get("scorm_type") == "asset":
        # An asset does not talk to the API: opening it is all there is to complete.
        sco.completion_status = COMPLETED
    if state_values.session_seconds is not None:
        sco.session_seconds = state_values.session_seconds
    sco.total_seconds = sco.previous_seconds + sco.session_seconds
    if state_values.extra:
        sco.extra = state_values.extra
    sco.commits += 1
    sco.save()
    _roll_up(attempt, activity)
    return attempt


def _roll_up(attempt: SCORMAttempt, activity: SCORMActivity) -> None:
    items = activity.package.launchable_items
    scos = [i["identifier"] for i in items if i.get("scorm_type") == "sco"] or [i["identifier"] for i in items]
    states = {s.item_identifier: s for s in SCORMScoState.objects.filter(attempt=attempt)}
    relevant = [states.get(identifier) for identifier in scos]
    completed = all(s is not None and s.completion_status == COMPLETED for s in relevant)
    successes = [s.success_status for s in relevant if s is not None]
    scaled = [s.score_scaled for s in relevant if s is not None and s.score_scaled is not None]
    score = round(sum(scaled) / len(scaled), 4) if scaled else None
    if "failed" in successes:
        passed = False
    elif successes and len(successes) == len(scos) and all(s == "passed" for s in successes):
        passed = True
    elif score is not None and completed:
        passed = score * 100 >= activity.pass_mark
    else:
        passed = None
    before = (attempt.completed_at is not None, attempt.passed, attempt.score_scaled)
    now = timezone.now()
    attempt.updated_at = now
    attempt.total_seconds = sum(s.total_seconds for s in states.values())
    attempt.score_scaled = score
    attempt.passed = passed
    if completed and attempt.completed_at is None:
        attempt.completed_at = now
    after = (attempt.completed_at is not None, attempt.passed, attempt.score_scaled)
    changed = after != before and attempt.completed_at is not None
    if changed:
        attempt.evidence_recorded_at = None
    attempt.save(
        update_fields=["updated_at", "total_seconds", "score_scaled", "passed", "completed_at", "evidence_recorded_at"]
    )
    if changed:
        from ..tasks import attempt_outcome_task

        attempt_id = attempt.pk
        transaction.on_commit(lambda: attempt_outcome_task.delay(attempt_id))
