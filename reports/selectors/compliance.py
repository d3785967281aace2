"""Mandatory-training compliance (assigned courses), training hours, and the courses that address competencies.

An assigned enrolment (``source="assigned"``, not withdrawn) is *on time* when it was completed on or
before its due date (or has none), *late* when completed after it, *overdue* when still open after it,
and *open* otherwise. With a year filter, only enrolments due in that year count.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from courses.models import CoursePage, Enrolment, EnrolmentSource, EnrolmentStatus
from lms.models import Unit

from ..filters import Filters
from . import competency as comp_selectors
from . import scope


def assigned_enrolments(people, *, start: datetime.date | None = None, end: datetime.date | None = None):
    qs = Enrolment.objects.filter(person__in=people, source=EnrolmentSource.ASSIGNED).exclude(
        status=EnrolmentStatus.WITHDRAWN
    )
    if start is not None:
        qs = qs.filter(due_date__gte=start)
    if end is not None:
        qs = qs.filter(due_date__lte=end)
    return qs


def compliance_counts(today: datetime.date) -> dict:
    """Aggregates for ``.annotate()``/``.aggregate()`` on an enrolment queryset."""
    done = Q(completed_at__isnull=False)
    return {
        "assigned": Count("id"),
        "on_time": Count("id", filter=done & (Q(due_date__isnull=True) | Q(done_day__lte=F("due_date")))),
        "late": Count("id", filter=done & Q(done_day__gt=F("due_date"))),
        "overdue": Count("id", filter=Q(completed_at__isnull=True, due_date__lt=today)),
    }


def _year_bounds(filters: Filters) -> tuple[datetime.date | None, datetime.date | None]:
    if not filters.year:
        return None, None
    return datetime.date(filters.year, 1, 1), datetime.date(filters.year, 12, 31)


def _grouped(user, filters: Filters, field: str, today=None):
    today = today or timezone.localdate()
    start, end = _year_bounds(filters)
    people = scope.scope_people(user, filters)
    return (
        assigned_enrolments(people, start=start, end=end)
        .annotate(done_day=TruncDate("completed_at"))
        .values(field)
        .annotate(**compliance_counts(today))
        .order_by()
    )


def by_unit(user, filters: Filters, today=None) -> list[dict]:
    """[{label, unit_pk, assigned, on_time, late, overdue}] per reporting group."""
    rows = list(_grouped(user, filters, "person__unit_id", today))
    if not rows:
        return []
    groups = comp_selectors.reporting_groups(user, filters)
    unit_paths = dict(
        Unit.objects.filter(pk__in=scope.scope_units(user, filters).values("pk")).values_list("pk", "path")
    )
    owner = comp_selectors.group_of_unit(groups, unit_paths)
    totals: dict[int, dict] = defaultdict(lambda: {"assigned": 0, "on_time": 0, "late": 0, "overdue": 0})
    for r in rows:
        g = owner.get(r["person__unit_id"])
        if g is None:
            continue
        for key in ("assigned", "on_time", "late", "overdue"):
            totals[g.pk][key] += r[key]
    return [{"label": g.name, "unit_pk": g.pk, **totals[g.pk]} for g in groups if g.pk in totals]


def by_course(user, filters: Filters, today=None) -> list[dict]:
    rows = _grouped(user, filters, "course_id", today)
    titles = dict(CoursePage.objects.filter(pk__in=[r["course_id"] for r in rows]).values_list("pk", "title"))
    result = [
        {
            "label": titles.get(r["course_id"], str(r["course_id"])),
            "course_pk": r["course_id"],
            **{k: r[k] for k in ("assigned", "on_time", "late", "overdue")},
        }
        for r in rows
    ]
    result.sort(key=lambda r: (-r["assigned"], r["label"]))
    return result


def courses_for_competencies(competency_ids: list[int]) -> dict[int, list[str]]:
    """competency id -> titles of live courses that name it among their target competencies (one query)."""
    if not competency_ids:
        return {}
    result: dict[int, list[str]] = defaultdict(list)
    rows = (
        CoursePage.target_competencies.through.objects.filter(competency_id__in=competency_ids, coursepage__live=True)
        .order_by("coursepage__title")
        .values_list("competency_id", "coursepage__title")
    )
    for competency_id, title in rows:
        result[competency_id].append(title)
    return dict(result)
