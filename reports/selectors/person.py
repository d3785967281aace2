"""One person's profile for HR: competencies (radar against target), evidence, courses and attempts."""

from __future__ import annotations

from assessments.models import CompetencyScore, Evidence, TargetRequirement
from courses.models import Enrolment

from .. import charts
from ..filters import Filters
from . import competency as comp_selectors


def competency_rows(person, framework) -> tuple[list[dict], object]:
    """[{code, name, score (0..100|None), level, rank, target, target_rank, evidence_count}] for the person's target
    profile's competencies plus every other competency they have a score in (framework only); and the profile."""
    if framework is None:
        return [], None
    profile = comp_selectors.position_profiles([person.position], framework).get(person.position)
    required = {}
    if profile is not None:
        for r in TargetRequirement.objects.filter(profile=profile).select_related("competency", "level"):
            required[r.competency_id] = r
    scores = {
        s.competency_id: s
        for s in CompetencyScore.objects.filter(person=person, competency__framework=framework).select_related(
            "competency", "level"
        )
    }
    rows = []
    for cid in sorted(set(required) | set(scores), key=lambda c: _comp(required, scores, c).sort_order):
        comp = _comp(required, scores, cid)
        s, r = scores.get(cid), required.get(cid)
        rows.append(
            {
                "code": comp.code,
                "name": comp.name,
                "score": round(100 * s.score, 1) if s else None,
                "level": s.level.code if s and s.level else "—",
                "rank": s.level.rank if s and s.level else 0,
                "target": r.level.code if r else "",
                "target_rank": r.level.rank if r else None,
                "evidence_count": s.evidence_count if s else 0,
                "below": bool(r and (not s or not s.level or s.level.rank < r.level.rank)),
            }
        )
    return rows, profile


def _comp(required, scores, cid):
    return required[cid].competency if cid in required else scores[cid].competency


def person_context(person, filters: Filters | None = None) -> dict:
    framework = comp_selectors.framework_for(filters or Filters())
    rows, profile = competency_rows(person, framework)
    radar = None
    if rows:
        from django.utils.translation import gettext as _

        radar = charts.levels_chart(
            [{"competency": r["code"], "level": r["rank"], "target": r["target_rank"]} for r in rows],
            labels=(_("Level reached"), _("Target")),
        ).to_json()
    evidence = list(
        Evidence.objects.filter(person=person)
        .select_related("competency", "competency__framework")
        .order_by("-recorded_at", "-pk")[:25]
    )
    enrolments = list(Enrolment.objects.filter(person=person).select_related("course").order_by("-enrolled_at")[:50])
    return {
        "framework": framework,
        "profile": profile,
        "competency_rows": rows,
        "radar": radar,
        "evidence": evidence,
        "enrolments": enrolments,
        "attempts": attempts_of(person),
    }


def attempts_of(person) -> list:
    """The person's latest quiz attempts (newest first)."""
    try:
        from assessments.quizzes.models import Attempt
    except ImportError:  # pragma: no cover - without the quizzes app
        return []
    return list(Attempt.objects.filter(person=person).select_related("quiz").order_by("-started_at", "-pk")[:25])
