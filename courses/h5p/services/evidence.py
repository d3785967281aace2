"""Competency evidence from a finished H5P attempt (source "h5p").

Server-graded attempts give plain evidence; self-reported ones are marked ``self_reported`` so
the competency engine weights them lower. Each attempt is one piece of evidence per competency
(``source_ref`` "h5p-attempt:<id>"); recording again for the same attempt supersedes it.
"""

from __future__ import annotations

from assessments.errors import EvidenceError
from assessments.services.evidence import EvidenceItem, evidence_supersede

from ..errors import StatementError
from ..models import Grading


def attempt_evidence(*, attempt) -> list:
    """Record evidence for a scored ``attempt``; [] when the activity names no competencies."""
    if not attempt.score_max:
        return []
    links = list(attempt.activity.competency_links.all())
    if not links:
        return []
    score = max(0.0, min(1.0, attempt.score_raw / attempt.score_max))
    items = [EvidenceItem(competency_id=link.competency_id, score=score, weight=link.weight) for link in links]
    try:
        return evidence_supersede(
            source_ref=f"h5p-attempt:{attempt.pk}",
            person=attempt.person,
            items=items,
            source="h5p",
            self_reported=attempt.grading != Grading.SERVER,
        )
    except EvidenceError as exc:  # e.g. the person was deactivated meanwhile: refuse, write nothing
        raise StatementError(str(exc), status=400, code="evidence") from exc
