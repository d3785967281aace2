"""Competency evidence from a finished H5P attempt (source "h5p").

Server-graded attempts give plain evidence; self-reported ones are marked ``self_reported`` so
the competency engine weights them lower. Each attempt is one piece of evidence per competency
(``source_ref`` "h5p-attempt:<id>"); recording again for the same attempt supersedes it.

The batch of statements that finishes attempts only queues this (``tasks.attempts_evidence_task``) so the
learner's request stays fast; ``attempts_evidence_record`` is idempotent, and ``attempts_pending``
finds finished attempts whose task never ran (a lost message, a broker outage) for the sweep.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from assessments.errors import EvidenceError
from assessments.services.evidence import EvidenceItem, SourceEvidence, evidence_supersede_many

from ..models import Grading, H5PActivityCompetency, H5PAttempt

logger = logging.getLogger(__name__)


def _evidence_of(attempt, links) -> SourceEvidence | None:
    """What a scored ``attempt`` says about each competency its activity names (``links``), at the
    activity's band (``activity_band``, annotated on the links)."""
    if not attempt.score_max or not links:
        return None
    band = getattr(links[0], "activity_band", "") or ""
    score = max(0.0, min(1.0, attempt.score_raw / attempt.score_max))
    return SourceEvidence(
        source_ref=f"h5p-attempt:{attempt.pk}",
        items=[
            EvidenceItem(competency_id=link.competency_id, score=score, weight=link.weight, band=band) for link in links
        ],
        self_reported=attempt.grading != Grading.SERVER,
    )


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
    links: dict[int, list] = defaultdict(list)
    for link in H5PActivityCompetency.objects.filter(activity_id__in=activity_ids).annotate(
        activity_band=F("activity__band")
    ):
        links[link.activity_id].append(link)
    for person_id, pks in todo.items():
        try:
            status.update(_record_for_person(pks, links, now))
        except Exception:  # noqa: BLE001 - logged; the sweep tries these attempts again
            logger.exception("H5P attempts %s of person %s: evidence not recorded", pks, person_id)
            status.update({pk: "failed" for pk in pks})
    return status


@transaction.atomic
def _record_for_person(attempt_ids: list[int], links: dict[int, list], now: datetime) -> dict[int, str]:
    attempts = list(
        H5PAttempt.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk__in=attempt_ids, evidence_recorded_at__isnull=True)
        .order_by("pk")
    )
    if not attempts:
        return {pk: "done" for pk in attempt_ids}  # recorded meanwhile by another task
    records = [r for r in (_evidence_of(a, links[a.activity_id]) for a in attempts) if r is not None]
    outcome = "recorded"
    try:
        with transaction.atomic():
            if records:
                evidence_supersede_many(person=attempts[0].person, source="h5p", records=records)
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
