"""The launch baseline of the diagnostic placement, for HR's scope: participation, placements per area and unit,
the weakest competencies per unit, and the people behind them. Aggregated in SQL, a fixed number of queries.

Whose placement counts: each officer's latest completed, not superseded session on any published form of the
baseline's framework (the Vietnamese and English forms of one test measure the same thing). "In progress": a
session started and not finished, and no placement yet. Weakest competencies: the lowest mean competency score
(0-100, the competency engine's, which the placement feeds as evidence) among the unit's placed officers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import CompetencyArea, CompetencyScore, Framework, ProficiencyLevel
from assessments.placement.models import DiagnosticForm, DiagnosticSession, FormStatus, SectionResult, SessionStatus
from lms.models import StaffProfile

from ..filters import Filters
from . import scope

TAKEN = "taken"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
STATUSES = {
    TAKEN: _("Taken"),
    IN_PROGRESS: pgettext_lazy("diagnostic session", "In progress"),
    NOT_STARTED: _("Not started"),
}
WEAKEST_PER_UNIT = 3
PEOPLE_ON_PAGE = 500


def baseline_framework() -> Framework | None:
    """The framework of the most recently published placement test (None: no test is published)."""
    form = DiagnosticForm.objects.filter(status=FormStatus.PUBLISHED).select_related("framework")
    form = form.order_by("-published_at", "-pk").first()
    return form.framework if form is not None else None


def _latest_placement(framework_id: int, person_ref: str = "pk"):
    return (
        DiagnosticSession.objects.filter(
            person=OuterRef(person_ref),
            form__framework_id=framework_id,
            status=SessionStatus.COMPLETED,
            superseded_at__isnull=True,
        )
        .order_by("-completed_at", "-pk")
        .values("pk")[:1]
    )


def _started(framework_id: int):
    return DiagnosticSession.objects.filter(
        person=OuterRef("pk"), form__framework_id=framework_id, status=SessionStatus.IN_PROGRESS
    )


def people_with_status(user, filters: Filters, framework_id: int, status: str = "") -> QuerySet[StaffProfile]:
    """The scoped people annotated with ``placement`` (their current session id or None) and ``started``."""
    qs = scope.scope_people(user, filters).annotate(
        placement=Subquery(_latest_placement(framework_id)), started=Exists(_started(framework_id))
    )
    if status == TAKEN:
        qs = qs.filter(placement__isnull=False)
    elif status == IN_PROGRESS:
        qs = qs.filter(placement__isnull=True, started=True)
    elif status == NOT_STARTED:
        qs = qs.filter(placement__isnull=True, started=False)
    return qs


def _status_of(placement, started) -> str:
    return TAKEN if placement else (IN_PROGRESS if started else NOT_STARTED)


def _current_sections(user, filters: Filters, framework_id: int) -> QuerySet[SectionResult]:
    return SectionResult.objects.filter(
        scope.people_q(user, filters, prefix="session__person__"),
        session_id=Subquery(_latest_placement(framework_id, "session__person_id")),
    )


@dataclass
class UnitRow:
    unit_id: int
    code: str
    name: str
    total: int = 0
    taken: int = 0
    in_progress: int = 0
    not_started: int = 0
    # area id -> [people per level, in the order of ``levels``]
    placements: dict[int, list[int]] = field(default_factory=dict)
    weakest: list[tuple[str, str, float, int]] = field(default_factory=list)  # (code, name, mean 0-100, people)
    # per area, in the order of ``areas``: [(level code, people)] of the levels with anyone placed
    cells: list[list[tuple[str, int]]] = field(default_factory=list)

    @property
    def share_taken(self) -> int:
        return round(100 * self.taken / self.total) if self.total else 0


@dataclass
class Baseline:
    framework: Framework | None
    areas: list[CompetencyArea]
    levels: list[ProficiencyLevel]
    units: list[UnitRow]
    totals: dict[str, int]
    # area id -> people per level over the whole scope
    area_totals: dict[int, list[int]]

    @property
    def area_rows(self) -> list[tuple[CompetencyArea, list[int], int]]:
        """(area, people per level in the order of ``levels``, people placed)."""
        return [(a, self.area_totals.get(a.pk, []), sum(self.area_totals.get(a.pk, []))) for a in self.areas]


def baseline(user, filters: Filters) -> Baseline:
    """The page's summary: seven queries whatever the number of people or units."""
    framework = baseline_framework()
    if framework is None:
        return Baseline(None, [], [], [], {"total": 0, TAKEN: 0, IN_PROGRESS: 0, NOT_STARTED: 0}, {})
    english = (get_language() or "vi").startswith("en")
    areas = list(CompetencyArea.objects.filter(framework=framework).order_by("sort_order", "code"))
    levels = list(ProficiencyLevel.objects.filter(framework=framework).order_by("rank"))
    level_index = {lv.pk: i for i, lv in enumerate(levels)}
    people = scope.scope_people(user, filters).annotate(
        placed=Exists(
            DiagnosticSession.objects.filter(
                person=OuterRef("pk"),
                form__framework_id=framework.pk,
                status=SessionStatus.COMPLETED,
                superseded_at__isnull=True,
            )
        ),
        started=Exists(_started(framework.pk)),
    )
    per_unit = (
        people.values("unit_id", "unit__code", "unit__name_vi", "unit__name_en", "unit__path")
        .annotate(
            total=Count("pk"),
            taken=Count("pk", filter=Q(placed=True)),
            in_progress=Count("pk", filter=Q(placed=False, started=True)),
        )
        .order_by("unit__path")
    )
    units: dict[int, UnitRow] = {}
    for r in per_unit:
        units[r["unit_id"]] = UnitRow(
            unit_id=r["unit_id"],
            code=r["unit__code"],
            name=r["unit__name_en"] if english and r["unit__name_en"] else r["unit__name_vi"],
            total=r["total"],
            taken=r["taken"],
            in_progress=r["in_progress"],
            not_started=r["total"] - r["taken"] - r["in_progress"],
        )
    area_totals = {a.pk: [0] * len(levels) for a in areas}
    distribution = (
        _current_sections(user, filters, framework.pk)
        .values("session__person__unit_id", "area_id", "level_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in distribution:
        row = units.get(r["session__person__unit_id"])
        if row is None or r["area_id"] not in area_totals or r["level_id"] not in level_index:
            continue
        counts = row.placements.setdefault(r["area_id"], [0] * len(levels))
        counts[level_index[r["level_id"]]] += r["n"]
        area_totals[r["area_id"]][level_index[r["level_id"]]] += r["n"]
    weak = (
        CompetencyScore.objects.filter(
            scope.people_q(user, filters, prefix="person__"),
            Exists(
                DiagnosticSession.objects.filter(
                    person=OuterRef("person_id"),
                    form__framework_id=framework.pk,
                    status=SessionStatus.COMPLETED,
                    superseded_at__isnull=True,
                )
            ),
            competency__framework=framework,
        )
        .values("person__unit_id", "competency__code", "competency__name_vi", "competency__name_en")
        .annotate(mean=Avg("score"), people=Count("person_id", distinct=True))
        .order_by("person__unit_id", "mean", "competency__code")
    )
    per_unit_weak: dict[int, list] = defaultdict(list)
    for r in weak:
        bucket = per_unit_weak[r["person__unit_id"]]
        if len(bucket) < WEAKEST_PER_UNIT:
            name = r["competency__name_en"] if english and r["competency__name_en"] else r["competency__name_vi"]
            bucket.append((r["competency__code"], name, round(100 * (r["mean"] or 0), 1), r["people"]))
    for unit_id, bucket in per_unit_weak.items():
        if unit_id in units:
            units[unit_id].weakest = bucket
    rows = list(units.values())
    for row in rows:
        row.cells = [[(levels[i].code, n) for i, n in enumerate(row.placements.get(a.pk, [])) if n] for a in areas]
    totals = {
        "total": sum(r.total for r in rows),
        TAKEN: sum(r.taken for r in rows),
        IN_PROGRESS: sum(r.in_progress for r in rows),
        NOT_STARTED: sum(r.not_started for r in rows),
    }
    return Baseline(framework, areas, levels, rows, totals, area_totals)


def people_rows(user, filters: Filters, *, status: str = "", limit: int | None = None, offset: int = 0) -> list[dict]:
    """The people (drill-down): status, placement date and level per area code. Two queries."""
    framework = baseline_framework()
    if framework is None:
        return []
    english = (get_language() or "vi").startswith("en")
    qs = (
        people_with_status(user, filters, framework.pk, status)
        .values(
            "pk",
            "employee_number",
            "full_name",
            "position",
            "unit__code",
            "unit__name_vi",
            "unit__name_en",
            "placement",
            "started",
        )
        .order_by("unit__path", "full_name", "pk")
    )
    if limit is not None:
        qs = qs[offset : offset + limit]
    people = list(qs)
    sessions = [p["placement"] for p in people if p["placement"]]
    sections: dict[int, dict[str, str]] = defaultdict(dict)
    completed: dict[int, object] = {}
    for session_id, area_code, level_code, completed_at in SectionResult.objects.filter(
        session_id__in=sessions
    ).values_list("session_id", "area__code", "level__code", "session__completed_at"):
        sections[session_id][area_code] = level_code
        completed[session_id] = completed_at
    rows = []
    for p in people:
        rows.append(
            {
                "person_id": p["pk"],
                "employee_number": p["employee_number"],
                "full_name": p["full_name"],
                "position": p["position"],
                "unit_code": p["unit__code"],
                "unit_name": p["unit__name_en"] if english and p["unit__name_en"] else p["unit__name_vi"],
                "status": _status_of(p["placement"], p["started"]),
                "session_id": p["placement"],
                "completed_at": completed.get(p["placement"]),
                "levels": sections.get(p["placement"], {}),
            }
        )
    return rows


def area_codes() -> list[tuple[str, str]]:
    """(code, name) of the baseline framework's areas, for the table's columns."""
    framework = baseline_framework()
    if framework is None:
        return []
    return [(a.code, a.name) for a in CompetencyArea.objects.filter(framework=framework).order_by("sort_order", "code")]
