"""Competency evidence from a finished H5P attempt (source "h5p").

Server-graded attempts give plain evidence; self-reported ones are marked ``self_reported`` so
the competency engine weights them lower. Each attempt is one piece of evidence per competency
(``source_ref`` "h5p-attempt:<id>"); recording again for the same attempt supersedes it.

The statement that finishes an attempt only queues this (``tasks.attempt_evidence_task``) so the
learner's request stays fast; ``attempt_evidence_record`` is idempotent, and ``attempts_pending``
finds finished attempts whose task never ran (a lost message, a broker outage) for the sweep.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from assessments.errors import EvidenceError
from assessments.services.evidence import EvidenceItem, evidence_supersede

from ..models import Grading, H5PAttempt

logger = logging.getLogger(__name__)


def attempt_evidence(*, attempt) -> list:
    """Record evidence for a scored ``attempt``; [] when the activity names no competencies.
    Raises ``EvidenceError`` when the engine refuses (e.g. the person was deactivated)."""
    if not attempt.score_max:
        return []
    links = list(attempt.activity.competency_links.all())
    if not links:
        return []
    score = max(0.0, min(1.0, attempt.score_raw / attempt.score_max))
    items = [EvidenceItem(competency_id=link.competency_id, score=score, weight=link.weight) for link in links]
    return evidence_supersede(
        source_ref=f"h5p-attempt:{attempt.pk}",
        person=attempt.person,
        items=items,
        source="h5p",
        self_reported=attempt.grading != Grading.SERVER,
    )


@transaction.atomic
def attempt_evidence_record(*, attempt_id: int, now: datetime | None = None) -> str:
    """Record a finished attempt's evidence once; returns "recorded", "skipped", "done" or "gone"."""
    attempt = (
        H5PAttempt.objects.select_for_update(of=("self",))
        .select_related("person", "activity")
        .filter(pk=attempt_id, completed_at__isnull=False)
        .first()
    )
    if attempt is None:
        return "gone"
    if attempt.evidence_recorded_at is not None:
        return "done"
    status = "recorded"
    try:
        with transaction.atomic():
            attempt_evidence(attempt=attempt)
    except EvidenceError as exc:  # e.g. deactivated since: the score stays on the attempt, no evidence
        logger.warning("H5P attempt %s: no competency evidence recorded: %s", attempt.pk, exc)
        status = "skipped"
    attempt.evidence_recorded_at = now or timezone.now()
    attempt.save(update_fields=["evidence_recorded_at"])
    return status


def attempts_pending(*, older_than: timedelta = timedelta(minutes=2), now: datetime | None = None) -> QuerySet:
    """Finished attempts still waiting for their evidence after ``older_than``."""
    now = now or timezone.now()
    return H5PAttempt.objects.filter(
        completed_at__isnull=False, completed_at__lt=now - older_than, evidence_recorded_at__isnull=True
    ).order_by("completed_at", "id")
