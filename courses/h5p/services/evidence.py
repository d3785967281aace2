"""Competency evidence from finished H5P attempts (source "h5p"): one result per activity.

An activity gives each person ONE result per competency, whatever the number of attempts: every
finished attempt is combined by the activity's grading method (highest by default; last, average,
first: ``assessments.scoring.grading.combine_results``) and the combined result supersedes the one
before (``source_ref`` "h5p-activity:<activity id>", one per person). A reload or a worse re-check
therefore never adds weight, and under "highest" it changes nothing at all. Server-graded results
give plain evidence; a result resting on a self-reported attempt is marked ``self_reported`` so the
competency engine weights it lower. Evidence recorded per attempt before this rule
("h5p-attempt:<id>") is superseded by the activity's result the next time the person finishes it
(or by ``activity_results_recompute``).

The batch of statements that finishes attempts only queues this (``tasks.attempts_evidence_task``) so the
learner's request stays fast; ``attempts_evidence_record`` is idempotent, and ``attempts_pending``
finds finished attempts whose task never ran (a lost message, a broker outage) for the sweep.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from assessments.errors import EvidenceError
from assessments.scoring.grading import AttemptResult, combine_results
from assessments.services.evidence import EvidenceItem, SourceEvidence, evidence_supersede_many

from ..models import Grading, H5PActivity, H5PActivityCompetency, H5PAttempt

logger = logging.getLogger(__name__)


def activity_source_ref(activity_id: int) -> str:
    return f"h5p-activity:{activity_id}"


def _results_of(person_id: int, activity_ids: set[int]) -> dict[int, list[AttemptResult]]:
    """Every finished, scored attempt of the person on these activities (one query)."""
    out: dict[int, list[AttemptResult]] = defaultdict(list)
    rows = H5PAttempt.objects.filter(
        person_id=person_id, activity_id__in=activity_ids, completed_at__isnull=False, score_max__gt=0
    ).values_list("pk", "activity_id", "completed_at", "score_raw", "score_max", "grading")
    for pk, activity_id, completed_at, raw, maximum, grading in rows:
        score = max(0.0, min(1.0, (raw or 0.0) / maximum))
        out[activity_id].append(AttemptResult(pk, completed_at, score, grading != Grading.SERVER))
    return out


def _activity_records(person_id: int, activities: dict[int, tuple[str, list]]) -> list[SourceEvidence]:
    """The combined result of each activity (``{id: (grading method, competency links, band)}``) for a person,
    at the activity's band."""
    results = _results_of(person_id, set(activities))
    records = []
    for activity_id, (method, links, band) in sorted(activities.items()):
        combined = combine_results(results.get(activity_id, []), method=method)
        legacy = tuple(f"h5p-attempt:{r.key}" for r in results.get(activity_id, []))
        if combined is None or not links:
            continue
        records.append(
            SourceEvidence(
                source_ref=activity_source_ref(activity_id),
                items=[
                    EvidenceItem(competency_id=link.competency_id, score=combined.score, weight=link.weight, band=band)
                    for link in links
                ],
                self_reported=combined.self_reported,
                recorded_at=combined.at,
                replaces=legacy,
            )
        )
    return records


def _activities(activity_ids: set[int]) -> dict[int, tuple[str, list, str]]:
    """Grading method, competency links and band of each activity (two queries)."""
    links: dict[int, list] = defaultdict(list)
    for link in H5PActivityCompetency.objects.filter(activity_id__in=activity_ids):
        links[link.activity_id].append(link)
    methods = H5PActivity.objects.filter(pk__in=activity_ids).values_list("pk", "grading_method", "band")
    return {pk: (method, links[pk], band) for pk, method, band in methods}


def attempt_evidence_record(*, attempt_id: int, now: datetime | None = None) -> str:
    """Record a finished attempt's evidence once; returns "recorded", "skipped", "done" or "gone"."""
    return attempts_evidence_record(attempt_ids=[attempt_id], now=now).get(attempt_id, "gone")


def attempts_evidence_record(*, attempt_ids: list[int], now: datetime | None = None) -> dict[int, str]:
    """Record the evidence of finished attempts, each once, person by person: for each person one
    transaction with one lock, one insert and one score refresh for all their attempts in the batch,
    so one person's failure holds nobody else back (their attempts stay pending for the sweep).
    Status per attempt found: "recorded", "skipped" (the person was deactivated since: the score
    stays on the attempt, no evidence), "done" (already recorded) or "failed" (left for the sweep)."""
    now = now or timezone.now()
    found = (
        H5PAttempt.objects.filter(pk__in=attempt_ids, completed_at__isnull=False)
        .order_by("person_id", "pk")
        .values_list("pk", "person_id", "activity_id", "evidence_recorded_at")
    )
    status: dict[int, str] = {}
    todo: dict[int, list[int]] = defaultdict(list)
    activity_ids = set()
    for pk, person_id, activity_id, recorded_at in found:
        if recorded_at is not None:
            status[pk] = "done"
        else:
            todo[person_id].append(pk)
            activity_ids.add(activity_id)
    activities = _activities(activity_ids)
    for person_id, pks in todo.items():
        try:
            status.update(_record_for_person(pks, activities, now))
        except Exception:  # noqa: BLE001 - logged; the sweep tries these attempts again
            logger.exception("H5P attempts %s of person %s: evidence not recorded", pks, person_id)
            status.update({pk: "failed" for pk in pks})
    return status


@transaction.atomic
def _record_for_person(
    attempt_ids: list[int], activities: dict[int, tuple[str, list]], now: datetime
) -> dict[int, str]:
    attempts = list(
        H5PAttempt.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk__in=attempt_ids, evidence_recorded_at__isnull=True)
        .order_by("pk")
    )
    if not attempts:
        return {pk: "done" for pk in attempt_ids}  # recorded meanwhile by another task
    mine = {a.activity_id: activities[a.activity_id] for a in attempts if a.activity_id in activities}
    records = _activity_records(attempts[0].person_id, mine)
    outcome = "recorded"
    try:
        with transaction.atomic():
            if records:
                evidence_supersede_many(person=attempts[0].person, source="h5p", records=records, keep_unchanged=True)
    except EvidenceError as exc:  # e.g. deactivated since: the scores stay on the attempts, no evidence
        logger.warning("H5P attempts %s: no competency evidence recorded: %s", [a.pk for a in attempts], exc)
        outcome = "skipped"
    H5PAttempt.objects.filter(pk__in=[a.pk for a in attempts]).update(evidence_recorded_at=now)
    return {**{pk: "done" for pk in attempt_ids}, **{a.pk: outcome for a in attempts}}


def attempts_pending(*, older_than: timedelta = timedelta(minutes=2), now: datetime | None = None) -> QuerySet:
    """Finished attempts still waiting for their evidence after ``older_than``."""
    now = now or timezone.now()
    return H5PAttempt.objects.filter(
        completed_at__isnull=False, completed_at__lt=now - older_than, evidence_recorded_at__isnull=True
    ).order_by("completed_at", "id")


def activity_results_recompute(*, activity_id: int) -> int:
    """Bring every person's result on an activity in line with its grading method and competencies
    (after a trainer changed them). One transaction per active person who finished it; returns how
    many people that is. An activity that no longer names competencies has its results withdrawn."""
    from lms.models import StaffProfile

    activities = _activities({activity_id})
    if activity_id not in activities:
        return 0
    _method, links, _band = activities[activity_id]
    people = H5PAttempt.objects.filter(activity_id=activity_id, completed_at__isnull=False).values("person_id")
    done = 0
    for person in StaffProfile.objects.filter(pk__in=people, is_active=True).order_by("pk"):
        with transaction.atomic():
            records = _activity_records(person.pk, activities)
            if not links:
                legacy = _results_of(person.pk, {activity_id}).get(activity_id, [])
                records = [
                    SourceEvidence(
                        source_ref=activity_source_ref(activity_id),
                        items=[],
                        replaces=tuple(f"h5p-attempt:{r.key}" for r in legacy),
                    )
                ]
            if records:
                evidence_supersede_many(person=person, source="h5p", records=records, keep_unchanged=True)
                done += 1
    return done


def activity_scoring(activity_id: int) -> dict:
    """What decides an activity's results: its grading method and competency weights (two queries)."""
    method = H5PActivity.objects.filter(pk=activity_id).values_list("grading_method", flat=True).first()
    links = H5PActivityCompetency.objects.filter(activity_id=activity_id).values_list("competency__code", "weight")
    return {"grading_method": method, "competencies": sorted([code, weight] for code, weight in links)}


def activity_scoring_changed(*, actor, activity: H5PActivity, before: dict, after: dict) -> None:
    """A trainer changed how an activity scores: audit it, and recompute everyone's result once the
    change commits (a task: an activity may have thousands of learners)."""
    if before == after:
        return
    from functools import partial

    from reports.services.audit import audit_record

    from ..tasks import activity_results_recompute_task

    audit_record(
        actor=actor, action="h5p.activity_scoring_change", target=activity, params={"before": before, "after": after}
    )
    transaction.on_commit(partial(activity_results_recompute_task.delay, activity.pk))
