"""Reassessment due: levels whose newest supporting evidence is older than the framework's validity.

Such a level is not current: it does not count in the evaluation's coverage or index. HR see how many
people each unit has with a level due, and who they are. Two aggregated queries whatever the size.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min, Q

from assessments.models import CompetencyScore
from assessments.scoring.levels import months_before

from ..filters import Filters
from .scope import people_q

PEOPLE_LIMIT = 500


def _due(user, filters: Filters, framework, now: datetime):
    cutoff = months_before(now, framework.validity_months)
    # Marked due by the last recompute, or lapsed since (the nightly recompute will mark it).
    due = Q(due_level__isnull=False) | Q(level__isnull=False, level_evidence_at__lt=cutoff)
    return CompetencyScore.objects.filter(
        due, people_q(user, filters, prefix="person__"), competency__framework=framework
    ).order_by()


def reassessments_due(user, filters: Filters, framework, *, now: datetime) -> dict:
    """``{"units": [{unit, code, name_vi, name_en, people, levels}], "people": [...], "cutoff": datetime}``."""
    if framework is None:
        return {"units": [], "people": [], "cutoff": None, "truncated": False}
    due = _due(user, filters, framework, now)
    units = list(
        due.values("person__unit_id", "person__unit__code", "person__unit__name_vi", "person__unit__name_en")
        .annotate(people=Count("person_id", distinct=True), levels=Count("id"))
        .order_by("person__unit__path")
    )
    people = list(
        due.values(
            "person_id", "person__full_name", "person__employee_number", "person__unit__code", "person__position"
        )
        .annotate(levels=Count("id"), oldest=Min("level_evidence_at"))
        .order_by("oldest", "person__full_name", "person_id")[: PEOPLE_LIMIT + 1]
    )
    return {
        "units": units,
        "people": people[:PEOPLE_LIMIT],
        "truncated": len(people) > PEOPLE_LIMIT,
        "cutoff": months_before(now, framework.validity_months),
    }
