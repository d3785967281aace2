"""Taking the diagnostic: start (or resume), answer the current item, and finish with a placement.

The server decides everything: which item comes next, when a section stops, the ability and the level.
The browser only ever holds the current item (without its key or parameters) and sends back an answer
to that item's position; anything else is refused with a message and changes nothing.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone

from assessments.quizzes import keys
from assessments.quizzes.services.attempts import _display_orders  # the quiz engine's shuffle, shared
from assessments.scoring import grading, irt
from lms.models import StaffProfile

from .. import errors
from ..models import (
    DiagnosticForm,
    DiagnosticSession,
    FormStatus,
    SectionResult,
    SessionItem,
    SessionStatus,
)
from . import bank as bank_service
from .evidence import placement_evidence_write


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def retake_from(*, form: DiagnosticForm, person: StaffProfile) -> datetime | None:
    """When the person may take the form again (None: now)."""
    last = (
        DiagnosticSession.objects.filter(form=form, person=person, status=SessionStatus.COMPLETED)
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)
        .first()
    )
    return last + timedelta(days=form.retake_days) if last else None


@transaction.atomic
def session_start(
    *, person: StaffProfile, form: DiagnosticForm, now: datetime | None = None
) -> tuple[DiagnosticSession, bool]:
    """Start a session and serve its first item, or return the one in progress (a second tab resumes)."""
    now = now or timezone.now()
    # One start at a time per person: two tabs pressing "start" together get the same session.
    StaffProfile.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).get()
    current = DiagnosticSession.objects.filter(form=form, person=person, status=SessionStatus.IN_PROGRESS).first()
    if current is not None:
        return current, False
    if form.status != FormStatus.PUBLISHED:
        raise errors.FormNotReady(errors.NOT_PUBLISHED)
    again = retake_from(form=form, person=person)
    if again is not None and now < again:
        raise errors.RetakeTooSoon(errors.RETAKE_TOO_SOON, when=_when(again))
    session = DiagnosticSession.objects.create(
        form=form, person=person, seed=secrets.randbits(62), started_at=now, status=SessionStatus.IN_PROGRESS
    )
    _advance(session, now=now)
    return session, True


def current_item(session: DiagnosticSession) -> SessionItem | None:
    return (
        SessionItem.objects.select_related("version", "area", "competency")
        .filter(session=session, answered_at__isnull=True)
        .first()
    )


def _exposure(form: DiagnosticForm, area_id: int) -> dict[int, float]:
    """Question id → the share of this form's sessions that were served it (two queries)."""
    sessions = DiagnosticSession.objects.filter(form=form).count()
    if sessions <= 1:
        return {}
    rows = (
        SessionItem.objects.filter(session__form=form, area_id=area_id)
        .values("question_id")
        .annotate(n=Count("session_id", distinct=True))
        .values_list("question_id", "n")
    )
    return {qid: n / sessions for qid, n in rows}


def _advance(session: DiagnosticSession, *, now: datetime) -> None:
    """Serve the next item, closing sections whose stopping rule is met; complete the session at the end."""
    form = session.form
    rules = form.rules
    areas = bank_service.form_areas(form)
    done = set(SectionResult.objects.filter(session=session).values_list("area_id", flat=True))
    served = list(SessionItem.objects.filter(session=session).order_by("position"))
    bank = None
    levels = bank_service.form_levels(form)
    cuts = bank_service.form_cuts(form, levels)
    bands = bank_service.band_cuts(form, levels)
    for area in areas:
        if area.pk in done:
            continue
        if bank is None:
            bank = bank_service.form_bank(form)
        area_items = bank.get(area.pk, [])
        in_area = [it for it in served if it.area_id == area.pk]
        responses = [irt.Response(a=it.a, b=it.b, score=it.score or 0.0) for it in in_area]
        estimate = irt.eap(responses)
        served_ids = {it.question_id for it in in_area}
        remaining = [it for it in area_items if it.question_id not in served_ids]
        band_probability = irt.place_bayes(responses, bands)[1] if rules.stop_confidence and in_area else 0.0
        if in_area and irt.should_stop(
            estimate=estimate,
            served=len(in_area),
            rules=rules,
            remaining=len(remaining),
            placement_probability=band_probability,
        ):
            level_id = irt.place_bayes(responses, cuts)[0]
            lowest = min(cuts, key=lambda c: c[1])[0]
            at_least = (
                1.0 if level_id == lowest else irt.probability_at_least(irt.posterior(responses), dict(cuts)[level_id])
            )
            SectionResult.objects.create(
                session=session,
                area=area,
                theta=round(estimate.theta, 4),
                se=round(estimate.se, 4),
                items=len(in_area),
                level_id=level_id,
                at_least=round(at_least, 4),
                finished_at=now,
            )
            continue
        if not remaining:
            continue  # an area with no items at all (a form published before the bank shrank): no result
        counts: dict[int, int] = {}
        for it in in_area:
            counts[it.competency_id] = counts.get(it.competency_id, 0) + 1
        position = len(served) + 1
        rng = random.Random(f"{session.seed}:{position}")  # noqa: S311 - exposure control, not a secret
        chosen = irt.select_next(
            theta=estimate.theta,
            items=[it.params for it in remaining],
            served=(),
            competency_counts=counts,
            exposure=_exposure(form, area.pk),
            rules=rules,
            rng=rng,
        )
        item = next(it for it in remaining if it.question_id == chosen.id)
        bank_service.params_ensure(items=[item])
        snapshot = bank_service.version_snapshots([item.version_id])[item.version_id]
        choice_order, target_order = _display_orders(snapshot, shuffle=True, rng=rng)
        SessionItem.objects.create(
            session=session,
            position=position,
            area_id=area.pk,
            competency_id=item.competency_id,
            question_id=item.question_id,
            version_id=item.version_id,
            a=item.a,
            b=item.b,
            choice_order=choice_order,
            target_order=target_order,
            served_at=now,
        )
        return
    _complete(session, now=now)


def _complete(session: DiagnosticSession, *, now: datetime) -> None:
    previous = list(
        DiagnosticSession.objects.filter(
            form=session.form, person=session.person, status=SessionStatus.COMPLETED, superseded_at__isnull=True
        ).exclude(pk=session.pk)
    )
    session.status = SessionStatus.COMPLETED
    session.completed_at = now
    session.save(update_fields=["status", "completed_at"])
    placement_evidence_write(session=session, previous=previous, now=now)
    if previous:
        DiagnosticSession.objects.filter(pk__in=[p.pk for p in previous]).update(superseded_at=now)


def _locked_session(*, session_id: int, person: StaffProfile) -> DiagnosticSession:
    """The person's own session, locked; ``DoesNotExist`` (→ 404) for anyone else's."""
    return (
        DiagnosticSession.objects.select_for_update(of=("self",))
        .select_related("form", "person")
        .get(pk=session_id, person=person)
    )


@transaction.atomic
def session_answer(
    *, session_id: int, person: StaffProfile, position: int, raw: object, now: datetime | None = None
) -> DiagnosticSession:
    """Grade the answer to the current item and serve the next one (or finish).

    Refuses, writing nothing: a finished session, a position that is not the current item (already
    answered: a replay or another tab; not served yet), an empty or malformed answer.
    """
    now = now or timezone.now()
    session = _locked_session(session_id=session_id, person=person)
    if not session.is_open:
        raise errors.SessionFinished(errors.FINISHED)
    item = current_item(session)
    if item is None:  # cannot happen with the constraints; heal by advancing rather than fail
        _advance(session, now=now)
        raise errors.NotServed(errors.NOT_SERVED)
    if position != item.position:
        if 0 < position < item.position:
            raise errors.AlreadyAnswered(errors.ALREADY_ANSWERED)
        raise errors.NotServed(errors.NOT_SERVED)
    snapshot = item.version.snapshot
    masks = keys.Masks(snapshot, choice_order=item.choice_order, target_order=item.target_order)
    try:
        response = keys.response_from_learner(snapshot, masks, raw)
    except grading.ResponseError:
        raise errors.InvalidAnswer(errors.EMPTY_ANSWER)
    if response is None or response == [] or response == {}:
        raise errors.InvalidAnswer(errors.EMPTY_ANSWER)
    graded = grading.grade(keys.key_from_snapshot(snapshot), response)
    item.response = response
    item.score = round(graded.fraction, 6)
    item.answered_at = now
    item.save(update_fields=["response", "score", "answered_at"])
    _advance(session, now=now)
    session.refresh_from_db(fields=["status", "completed_at"])
    return session


def session_progress(session: DiagnosticSession) -> dict:
    """How far the officer is: sections done out of all, items answered (for the progress bar)."""
    areas = bank_service.form_areas(session.form)
    done = SectionResult.objects.filter(session=session).count()
    answered = SessionItem.objects.filter(session=session, answered_at__isnull=False).count()
    return {"areas": len(areas), "areas_done": done, "answered": answered}
