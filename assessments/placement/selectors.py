"""Reads for the placement pages: the officer's forms and sessions, a result with its meaning, item analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q

from assessments.models import Competency, ProficiencyLevel
from assessments.quizzes.models import Question
from assessments.scoring import irt
from lms.models import StaffProfile

from .models import DiagnosticForm, DiagnosticSession, FormStatus, ItemParameters, SectionResult, SessionStatus
from .services import bank as bank_service
from .services.sessions import retake_from


@dataclass
class FormRow:
    form: DiagnosticForm
    open_session: DiagnosticSession | None
    last_session: DiagnosticSession | None
    retake_from: datetime | None


def forms_for_person(person: StaffProfile, *, now: datetime) -> list[FormRow]:
    """Published forms with the person's session in progress and latest completed one (three queries)."""
    forms = list(DiagnosticForm.objects.filter(status=FormStatus.PUBLISHED).order_by("-published_at"))
    sessions = DiagnosticSession.objects.filter(person=person, form__in=forms).order_by("-started_at")
    open_by_form: dict[int, DiagnosticSession] = {}
    last_by_form: dict[int, DiagnosticSession] = {}
    for s in sessions:
        if s.status == SessionStatus.IN_PROGRESS:
            open_by_form.setdefault(s.form_id, s)
        elif s.form_id not in last_by_form:
            last_by_form[s.form_id] = s
    rows = []
    for form in forms:
        last = last_by_form.get(form.pk)
        again = retake_from(form=form, person=person) if last else None
        rows.append(FormRow(form, open_by_form.get(form.pk), last, again if again and again > now else None))
    return rows


@dataclass
class AreaResult:
    section: SectionResult
    level: ProficiencyLevel
    rank: int
    low: float  # θ - 1.96 SE
    high: float
    courses: list = field(default_factory=list)


def result_rows(session: DiagnosticSession) -> list[AreaResult]:
    sections = list(
        SectionResult.objects.filter(session=session)
        .select_related("area", "level")
        .order_by("area__sort_order", "area__code")
    )
    return [
        AreaResult(
            section=s,
            level=s.level,
            rank=s.level.rank,
            low=round(s.theta - 1.96 * s.se, 2),
            high=round(s.theta + 1.96 * s.se, 2),
        )
        for s in sections
    ]


def attach_courses(rows: list[AreaResult], *, weakest: int = 2, limit: int = 3) -> list[AreaResult]:
    """Recommended courses for the ``weakest`` areas (lowest level, then lowest θ); one query."""
    from assessments.recommendations import courses_for_competencies

    chosen = sorted(rows, key=lambda r: (r.rank, r.section.theta))[:weakest]
    competency_area = dict(
        Competency.objects.filter(area_id__in=[r.section.area_id for r in chosen]).values_list("pk", "area_id")
    )
    found = courses_for_competencies(list(competency_area))
    per_area: dict[int, list] = {}
    for competency_id, course in found:
        bucket = per_area.setdefault(competency_area[competency_id], [])
        if len(bucket) < limit and course not in bucket:
            bucket.append(course)
    for r in chosen:
        r.courses = per_area.get(r.section.area_id, [])
    return chosen


def result_chart(rows: list[AreaResult], *, cuts: list[tuple[str, float]], title: str) -> dict:
    """Ability per area with its 95 % interval, on an axis marked with the levels' cut scores."""
    # Area codes on the axis (the full names are in the table beside it): long names left no room on a phone.
    labels = [f"{r.section.area.code}." for r in rows]
    thetas = [round(r.section.theta, 2) for r in rows]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "orientation": "h",
                "y": labels,
                "x": thetas,
                "text": [r.level.code for r in rows],
                "error_x": {
                    "type": "data",
                    "symmetric": True,
                    "array": [round(1.96 * r.section.se, 2) for r in rows],
                },
                "marker": {"size": 12, "color": "#0b5394"},
                "customdata": [r.section.area.name for r in rows],
                "hovertemplate": "%{customdata}: %{text}<extra></extra>",
                "name": title,
            }
        ],
        "layout": {
            "yaxis": {"type": "category", "autorange": "reversed", "automargin": True},
            "xaxis": {
                "range": [irt.THETA_MIN + 1, irt.THETA_MAX - 1],
                "tickvals": [c for _, c in cuts[1:]],
                "ticktext": [code for code, _ in cuts[1:]],
                "showgrid": True,
                "tickangle": -45,
                "automargin": True,
            },
            "margin": {"l": 40, "r": 10, "t": 20, "b": 30},
            "showlegend": False,
            "height": max(240, 48 * len(rows) + 80),
        },
    }


def form_cut_codes(form: DiagnosticForm) -> list[tuple[str, float]]:
    levels = bank_service.form_levels(form)
    code = {lv.pk: lv.code for lv in levels}
    return [(code[lid], c) for lid, c in bank_service.form_cuts(form, levels)]


@dataclass
class ItemRow:
    question: Question
    competency_code: str
    area_code: str
    params: ItemParameters | None
    a: float
    b: float
    served: int
    answered: int
    facility: float | None


def item_analysis(form: DiagnosticForm) -> list[ItemRow]:
    """Every item of the form's bank with its parameters, fit flags and classical facility (fixed queries)."""
    bank = bank_service.form_bank(form)
    items = [i for area_items in bank.values() for i in area_items]
    questions = Question.objects.in_bulk([i.question_id for i in items])
    comps = {c.pk: c for c in Competency.objects.filter(pk__in={i.competency_id for i in items}).select_related("area")}
    params = {p.version_id: p for p in ItemParameters.objects.filter(version_id__in=[i.version_id for i in items])}
    from .models import SessionItem

    stats = {
        row["question_id"]: row
        for row in SessionItem.objects.filter(session__form=form, question_id__in=list(questions))
        .values("question_id")
        .annotate(
            served=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            right=Count("pk", filter=Q(score__gte=0.5)),
        )
    }
    rows = []
    for i in sorted(items, key=lambda i: (comps[i.competency_id].code, i.b)):
        s = stats.get(i.question_id, {})
        answered = s.get("answered", 0)
        rows.append(
            ItemRow(
                question=questions[i.question_id],
                competency_code=comps[i.competency_id].code,
                area_code=comps[i.competency_id].area.code,
                params=params.get(i.version_id),
                a=i.a,
                b=i.b,
                served=s.get("served", 0),
                answered=answered,
                facility=round(s.get("right", 0) / answered, 2) if answered else None,
            )
        )
    return rows


def sessions_prefetch():
    return Prefetch("sections", queryset=SectionResult.objects.select_related("area", "level"))
