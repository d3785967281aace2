"""Competency evidence from a finished H5P attempt (source "h5p").

Server-graded attempts give plain evidence; self-reported ones are marked ``self_reported`` so
the competency engine weights them lower. A later attempt at the same activity supersedes the
evidence of the earlier one only through its own ``source_ref``: each attempt is one piece of
evidence, as with quizzes.
"""

from __future__ import annotations

import logging

from django.apps import apps

logger = logging.getLogger(__name__)


def _engine():
    try:
        from assessments.services import evidence as engine
    except ImportError:  # the competency engine is not merged into this build
        return None
    return engine


def attempt_evidence(*, attempt) -> list:
    """Record evidence for ``attempt`` (already scored); returns the Evidence rows, or [] when
    there is nothing to record (no competencies, no maximum, no competency engine)."""
    engine = _engine()
    if engine is None or not attempt.score_max:
        return []
    links = list(attempt.activity.competency_links.all())
    if not links:
        return []
    Competency = apps.get_model("assessments", "Competency")
    ids = dict(Competency.objects.filter(code__in=[link.competency_code for link in links]).values_list("code", "id"))
    score = max(0.0, min(1.0, attempt.score_raw / attempt.score_max))
    items = [
        engine.EvidenceItem(competency_id=ids[link.competency_code], score=score, weight=link.weight)
        for link in links
        if link.competency_code in ids
    ]
    if not items:
        return []
    return engine.evidence_supersede(
        source_ref=f"h5p-attempt:{attempt.pk}",
        person=attempt.person,
        items=items,
        source="h5p",
        self_reported=attempt.grading != "server",
    )
