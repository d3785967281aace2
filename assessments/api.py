"""Read API: frameworks and the signed-in person's competency scores."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema

from lms import policy

from .models import CompetencyScore
from .selectors import current_framework, framework_detail, frameworks_with_counts, person_trend
from .services.scores import scoring_policy

router = Router(tags=["competencies"])


class FrameworkSummary(Schema):
    code: str
    version: str
    name_vi: str
    name_en: str
    is_current: bool
    draft: bool  # a draft proposal, not issued by an act yet
    validity_months: int
    areas: int
    competencies: int
    levels: int


class LevelOut(Schema):
    rank: int
    code: str
    name_vi: str
    name_en: str
    tier_vi: str
    tier_en: str
    min_score: float


class CompetencyOut(Schema):
    code: str
    name_vi: str
    name_en: str
    description_vi: str
    description_en: str


class AreaOut(Schema):
    code: str
    name_vi: str
    name_en: str
    competencies: list[CompetencyOut]


class FrameworkOut(Schema):
    code: str
    version: str
    name_vi: str
    name_en: str
    source: str
    draft: bool
    validity_months: int
    levels: list[LevelOut]
    areas: list[AreaOut]


class ScoreOut(Schema):
    framework: str
    framework_version: str
    competency: str
    name_vi: str
    name_en: str
    score: float
    level: str | None  # the highest level currently demonstrated (within the framework's validity)
    due_level: str | None  # a higher level demonstrated on older evidence: reassessment due
    level_last_demonstrated: datetime | None
    enough_evidence: bool
    confidence: float
    evidence_count: int
    last_evidence_at: datetime | None
    computed_at: datetime


class TrendPoint(Schema):
    month: date
    competency: str
    score: float


@router.get("/frameworks/", response=list[FrameworkSummary], summary="Competency frameworks with their counts")
def frameworks(request):
    return [
        {
            "code": f.code,
            "version": f.version,
            "name_vi": f.name_vi,
            "name_en": f.name_en,
            "draft": f.is_draft,
            "validity_months": f.validity_months,
            "is_current": f.is_current,
            "areas": f.area_count,
            "competencies": f.competency_count,
            "levels": f.level_count,
        }
        for f in frameworks_with_counts()
    ]


@router.get("/frameworks/{code}", response=FrameworkOut, summary="One framework (current version) in full")
def framework(request, code: str):
    fw = framework_detail(code)
    if fw is None:
        raise Http404
    return {
        "code": fw.code,
        "version": fw.version,
        "name_vi": fw.name_vi,
        "name_en": fw.name_en,
        "draft": fw.is_draft,
        "validity_months": fw.validity_months,
        "source": fw.source,
        "levels": [
            {
                "rank": lv.rank,
                "code": lv.code,
                "name_vi": lv.name_vi,
                "name_en": lv.name_en,
                "tier_vi": lv.tier_vi,
                "tier_en": lv.tier_en,
                "min_score": lv.min_score,
            }
            for lv in sorted(fw.levels.all(), key=lambda lv: lv.rank)
        ],
        "areas": [
            {
                "code": area.code,
                "name_vi": area.name_vi,
                "name_en": area.name_en,
                "competencies": [
                    {
                        "code": c.code,
                        "name_vi": c.name_vi,
                        "name_en": c.name_en,
                        "description_vi": c.description_vi,
                        "description_en": c.description_en,
                    }
                    for c in area.competencies.all()
                ],
            }
            for area in sorted(fw.areas.all(), key=lambda a: (a.sort_order, a.code))
        ],
    }


@router.get("/me/competencies", response=list[ScoreOut], summary="The signed-in person's current competency scores")
def my_competencies(request, framework: str | None = None):
    """Every current score of the caller (optionally of one framework code); 404 without a staff profile."""
    person = policy.profile_of(request.user)
    if person is None or not policy.can(request.user, "competency.view_person", person):
        raise Http404
    scores = CompetencyScore.objects.filter(person=person)
    if framework:
        scores = scores.filter(competency__framework__code=framework)
    scores = scores.select_related("competency__framework", "level", "due_level").order_by(
        "competency__framework__code", "competency__sort_order"
    )
    return [
        {
            "framework": s.competency.framework.code,
            "framework_version": s.competency.framework.version,
            "competency": s.competency.code,
            "name_vi": s.competency.name_vi,
            "name_en": s.competency.name_en,
            "score": s.score,
            "level": s.level.code if s.level else None,
            "due_level": s.due_level.code if s.due_level else None,
            "level_last_demonstrated": s.level_evidence_at,
            "enough_evidence": s.evidence_count >= scoring_policy().min_evidence,
            "confidence": s.confidence,
            "evidence_count": s.evidence_count,
            "last_evidence_at": s.last_evidence_at,
            "computed_at": s.computed_at,
        }
        for s in scores
    ]


@router.get(
    "/me/competencies/history",
    response=list[TrendPoint],
    summary="The signed-in person's monthly scores over the last 24 months (one framework)",
)
def my_competency_history(request, framework: str = "VN-DCF", months: int = 24):
    person = policy.profile_of(request.user)
    fw = current_framework(framework)
    if person is None or fw is None or not policy.can(request.user, "competency.view_person", person):
        raise Http404
    months = max(1, min(months, 60))
    return [
        {"month": row["month"], "competency": row["code"], "score": row["mean_score"]}
        for row in person_trend(person, fw, months=months)
    ]
