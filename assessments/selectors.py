"""Reads for the competency pages and the API. Each runs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Avg, Count, F, Prefetch
from django.utils import timezone

from lms.models import StaffProfile, Unit

from .models import (
    Competency,
    CompetencyMapping,
    CompetencyScore,
    CompetencyScoreSnapshot,
    Evidence,
    Framework,
    ProficiencyLevel,
    TargetProfile,
    TargetRequirement,
    normalise_position,
)
from .scoring.competency import EvidencePoint, Level, level_for, point_weight
from .scoring.levels import is_current
from .services.scores import add_months, month_start, scoring_policy


def current_framework(code: str | None = None) -> Framework | None:
    """The current version of ``code`` (default: the Vietnamese framework, else the first one)."""
    frameworks = list(Framework.objects.current().order_by("code"))
    if code:
        return next((f for f in frameworks if f.code == code), None)
    return next((f for f in frameworks if f.code == "VN-DCF"), frameworks[0] if frameworks else None)


def target_profile_for(person: StaffProfile, framework: Framework) -> TargetProfile | None:
    """The first profile (by code) of the framework whose positions include the person's position."""
    key = normalise_position(person.position)
    if not key:
        return None
    for profile in TargetProfile.objects.filter(framework=framework).order_by("code"):
        if key in profile.position_keys():
            return profile
    return None


@dataclass
class CompetencyRow:
    """One competency on a person's page. ``score`` is the stored row; the flat fields also cover a
    score projected through the crosswalk (``via``) when the competency has no evidence of its own."""

    competency: Competency
    score: CompetencyScore | None
    required: ProficiencyLevel | None
    value: float | None = None
    level: ProficiencyLevel | None = None
    evidence_count: int = 0
    confidence: float = 0.0
    via: list[Competency] = field(default_factory=list)
    level_rank: int | None = None
    status: str = "none"  # none | insufficient | gap | met | no-target | due
    # A level whose newest supporting evidence is older than the framework's validity: reassessment due.
    due: bool = False
    due_level: ProficiencyLevel | None = None
    demonstrated_at: datetime | None = None
    gap: int = 0
    evidence: list[EvidenceLine] = field(default_factory=list)
    courses: list = field(default_factory=list)


@dataclass
class EvidenceLine:
    evidence: Evidence
    share: float  # part of the competency's current weight this row carries (0..1); 0 when superseded
    current_weight: float


@dataclass
class Overview:
    person: StaffProfile
    framework: Framework
    profile: TargetProfile | None
    levels: list[ProficiencyLevel]
    rows: list[CompetencyRow]
    now: datetime

    @property
    def gaps(self) -> list[CompetencyRow]:
        return [
            r
            for r in self.rows
            if (r.status in ("gap", "insufficient", "none") and r.required is not None) or r.status == "due"
        ]

    @property
    def due(self) -> list[CompetencyRow]:
        return [r for r in self.rows if r.due]


def person_overview(person: StaffProfile, framework: Framework, *, with_evidence: bool = True, now=None) -> Overview:
    """Scores, target, gap and (optionally) the evidence behind each score for one person and framework."""
    now = now or timezone.now()
    levels = list(ProficiencyLevel.objects.filter(framework=framework).order_by("rank"))
    competencies = list(Competency.objects.filter(framework=framework).select_related("area").order_by("sort_order"))
    scores = {
        s.competency_id: s
        for s in CompetencyScore.objects.filter(person=person, competency__framework=framework).select_related(
            "level", "due_level"
        )
    }
    profile = target_profile_for(person, framework)
    required = {}
    if profile is not None:
        required = {
            r.competency_id: r.level for r in TargetRequirement.objects.filter(profile=profile).select_related("level")
        }
    rows = []
    for comp in competencies:
        score = scores.get(comp.pk)
        row = CompetencyRow(competency=comp, score=score, required=required.get(comp.pk))
        if score is not None:
            row.value, row.level = score.score, score.level
            row.evidence_count, row.confidence = score.evidence_count, score.confidence
            row.demonstrated_at = score.level_evidence_at
            if score.due_level is not None:
                row.due, row.due_level = True, score.due_level
            elif score.level is not None and not is_current(
                score.level_evidence_at, now=now, validity_months=framework.validity_months
            ):  # lapsed since the last recompute (nightly): not current any more
                row.due, row.due_level, row.level = True, score.level, None
        rows.append(row)
    _project_through_crosswalk(person, framework, rows, levels)
    min_evidence = scoring_policy().min_evidence
    for row in rows:
        row.level_rank = row.level.rank if row.level else None
        if row.value is None:
            row.status = "none"
        elif row.level is None and row.evidence_count < min_evidence:
            row.status = "insufficient"
        elif row.due:
            row.status = "due"
        elif row.required is None:
            row.status = "no-target"
        elif row.level_rank is not None and row.level_rank >= row.required.rank:
            row.status = "met"
        else:
            row.status = "gap"
        if row.required is not None and row.status != "met":
            row.gap = row.required.rank - (row.level_rank or 0)
    if with_evidence:
        _attach_evidence(person, rows, now)
    return Overview(person, framework, profile, levels, rows, now)


def _project_through_crosswalk(person, framework: Framework, rows: list[CompetencyRow], levels) -> None:
    """Fill competencies without evidence from their *equivalent* competencies in other frameworks.

    DigComp 2.2 competences are equivalent to the Circular's 1.1–5.4, so a person assessed against the
    Vietnamese framework also sees their DigComp profile. Partial mappings (the ministry framework) are
    not projected: a partial overlap says too little to give a level. Two queries at most.
    """
    empty = {row.competency.pk: row for row in rows if row.score is None}
    if not empty:
        return
    links = list(
        CompetencyMapping.objects.filter(
            source_id__in=list(empty), relation=CompetencyMapping.Relation.EQUIVALENT
        ).values_list("source_id", "target_id")
    )
    if not links:
        return
    found = {
        s.competency_id: s
        for s in CompetencyScore.objects.filter(person=person, competency_id__in={t for _s, t in links}).select_related(
            "competency__framework"
        )
    }
    thresholds = [Level(key=lv, min_score=lv.min_score) for lv in levels]
    policy = scoring_policy()
    by_source: dict[int, list[CompetencyScore]] = defaultdict(list)
    for source_id, target_id in links:
        if target_id in found:
            by_source[source_id].append(found[target_id])
    for source_id, targets in by_source.items():
        row = empty[source_id]
        row.value = sum(t.score for t in targets) / len(targets)
        row.evidence_count = sum(t.evidence_count for t in targets)
        row.confidence = sum(t.confidence for t in targets) / len(targets)
        row.via = [t.competency for t in targets]
        if row.evidence_count >= policy.min_evidence and all(t.level_id for t in targets):
            row.level = level_for(row.value, thresholds)


def _attach_evidence(person, rows: list[CompetencyRow], now) -> None:
    policy = scoring_policy()
    by_comp = {r.competency.pk: r for r in rows}
    evidence = (
        Evidence.objects.filter(person=person, competency_id__in=list(by_comp))
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
    )
    for ev in evidence:
        weight = 0.0
        if ev.is_live:
            point = EvidencePoint(ev.score, ev.weight, ev.recorded_at, ev.self_reported)
            weight = point_weight(point, now=now, policy=policy)
        by_comp[ev.competency_id].evidence.append(EvidenceLine(ev, 0.0, weight))
    for row in rows:
        total = sum(line.current_weight for line in row.evidence)
        for line in row.evidence:
            line.share = line.current_weight / total if total else 0.0


def people_trend(person_ids, framework: Framework, *, months: int = 24, today: date | None = None) -> list[dict]:
    """Monthly mean score per competency for a set of people over the last ``months`` (SQL aggregation).

    Rows: ``{"month": date, "competency_id": int, "code": str, "mean_score": float, "people": int}``.
    """
    first = add_months(month_start(today or timezone.localdate()), -(months - 1))
    return list(
        CompetencyScoreSnapshot.objects.filter(
            person_id__in=person_ids, competency__framework=framework, month__gte=first
        )
        .values("month", "competency_id", code=F("competency__code"))
        .annotate(mean_score=Avg("score"), people=Count("person_id"))
        .order_by("month", "competency__sort_order")
    )


def person_trend(person: StaffProfile, framework: Framework, *, months: int = 24) -> list[dict]:
    return people_trend(StaffProfile.objects.filter(pk=person.pk).values("pk"), framework, months=months)


def unit_trend(unit: Unit, framework: Framework, *, months: int = 24) -> list[dict]:
    """Trend for everyone in the unit's subtree (active or not: history stays history)."""
    people = StaffProfile.objects.filter(unit__path__startswith=unit.path).values("pk")
    return people_trend(people, framework, months=months)


def frameworks_with_counts():
    return Framework.objects.order_by("code", "-version").annotate(
        area_count=Count("areas", distinct=True),
        competency_count=Count("competencies", distinct=True),
        level_count=Count("levels", distinct=True),
    )


def framework_detail(code: str) -> Framework | None:
    return (
        Framework.objects.current()
        .filter(code=code)
        .prefetch_related(
            "levels",
            Prefetch("areas__competencies", queryset=Competency.objects.order_by("sort_order", "code")),
        )
        .first()
    )


def recommended_courses(rows: list[CompetencyRow], *, limit: int = 3) -> None:
    """Attach to each gap row the live courses whose target competencies include it.

    Works once ``courses.CoursePage`` has a ``target_competencies`` relation to
    ``assessments.Competency`` (directly, or through a model with a ``competency`` field); until then
    no course is recommended. One query for all rows.
    """
    from .recommendations import courses_for_competencies

    wanted = [r.competency.pk for r in rows if (r.required is not None and r.status != "met") or r.due]
    found = courses_for_competencies(wanted)
    per_comp: dict[int, list] = defaultdict(list)
    for competency_id, course in found:
        if len(per_comp[competency_id]) < limit:
            per_comp[competency_id].append(course)
    for row in rows:
        row.courses = per_comp.get(row.competency.pk, [])
