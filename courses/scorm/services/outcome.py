"""What a finished SCORM attempt counts for: competency evidence and lesson completion.

Evidence (source "scorm", ``source_ref`` "scorm-attempt:<id>") is always ``self_reported``:
SCORM scores come from the browser and the server cannot check them. One piece per linked
competency; recording again (the learner improved) supersedes the earlier one. An attempt that
reports completion without a score gives no evidence (nothing was measured), but still completes
the lessons that place the activity.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from assessments.errors import EvidenceError
from assessments.models import EvidenceSource
from assessments.services.evidence import EvidenceItem, SourceEvidence, evidence_supersede_many
from courses.errors import CourseError

from ..models import SCORMActivityCompetency, SCORMAttempt
from ..selectors import lessons_using

logger = logging.getLogger(__name__)


def _evidence_of(attempt: SCORMAttempt, links) -> SourceEvidence | None:
    if attempt.score_scaled is None or not links:
        return None
    score = max(0.0, min(1.0, attempt.score_scaled))
    return SourceEvidence(
        source_ref=f"scorm-attempt:{attempt.pk}",
        # At the band the activity can demonstrate (a SCORM score never certifies above it).
        items=[
            EvidenceItem(competency_id=link.competency_id, score=score, weight=link.weight, band=attempt.activity.band)
            for link in links
        ],
        self_reported=True,
    )


def scorm_attempt_outcome_record(*, attempt_id: int) -> str:
    """Record a completed attempt's evidence and complete its lessons; "recorded", "done" or "gone"."""
    with transaction.atomic():
        attempt = (
            SCORMAttempt.objects.select_for_update(of=("self",))
            .select_related("person", "activity")
            .filter(pk=attempt_id, completed_at__isnull=False)
            .first()
        )
        if attempt is None:
            return "gone"
        if attempt.evidence_recorded_at is not None:
            return "done"
        links = list(SCORMActivityCompetency.objects.filter(activity_id=attempt.activity_id))
        record = _evidence_of(attempt, links)
        if record is not None:
            try:
                with transaction.atomic():
                    evidence_supersede_many(person=attempt.person, source=EvidenceSource.SCORM, records=[record])
            except EvidenceError as exc:  # e.g. deactivated since: the result stays on the attempt
                logger.warning("SCORM attempt %s: no competency evidence recorded: %s", attempt.pk, exc)
        SCORMAttempt.objects.filter(pk=attempt.pk).update(evidence_recorded_at=timezone.now())
    _complete_lessons(attempt)
    return "recorded"


def _complete_lessons(attempt: SCORMAttempt) -> None:
    """Each live lesson placing the activity is completed for the learner (where they may complete it)."""
    from courses.services.progress import lesson_complete

    for lesson in lessons_using(attempt.activity):
        try:
            with transaction.atomic():
                lesson_complete(person=attempt.person, lesson=lesson)
        except CourseError as exc:  # not enrolled, locked: the attempt's result stays, the lesson waits
            logger.info("SCORM attempt %s: lesson %s not completed: %s", attempt.pk, lesson.pk, exc)
