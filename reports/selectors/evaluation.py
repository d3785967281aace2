"""Evaluation rows: per person, levels against the target profile, mandatory training on time, training hours
and the digital-competency index. Read in chunks with a fixed number of aggregated queries per chunk.

As of the period's end: a period that has ended is evaluated from what existed on its last day (evidence
recorded before the end, levels as the level rule gave them then, courses completed within the period),
whenever it is closed. A period still running is evaluated from the current scores.

Coverage: a target competency counts as measured when it has a current result on the period's last day
(enough evidence, newest supporting evidence within the framework's validity). The competency part is the
mean over the measured ones; the others are listed (``unmeasured``); a band is suggested only when the
share measured reaches the period's ``coverage_threshold``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from assessments.models import CompetencyScore, Evidence, TargetRequirement
from assessments.scoring.competency import compute
from assessments.scoring.levels import is_current
from assessments.services.scores import levels_by_framework, scoring_policy
from courses.models import CourseCompletion, Enrolment, EnrolmentSource, EnrolmentStatus
from lms import policy
from lms.models import StaffProfile

from .. import conf
from ..index import IndexInputs, coverage, digital_competency_index, suggested_band
from ..models import EvaluationComment, EvaluationPeriod, EvaluationRecord, PeriodStatus
from . import competency as comp_selectors

CHUNK = 2000


def period_people(period: EvaluationPeriod):
    """Active people of the period's subtree."""
    return StaffProfile.objects.filter(is_active=True, unit__path__startswith=period.unit.path)


def visible_periods(user):
    """Periods whose subtree overlaps the caller's scope: over one of their units, or above one of their roots."""
    if policy.is_admin(user):
        return EvaluationPeriod.objects.select_related("unit")
    condition = Q(unit__in=policy.reportable_units(user))
    for root in policy.hr_roots(user) if policy.is_hr(user) else []:
        condition |= Q(unit__pk__in=root.ancestor_ids())
    return EvaluationPeriod.objects.select_related("unit").filter(condition)


def period_people_for(user, period: EvaluationPeriod):
    """The period's people the caller may see."""
    return period_people(period).filter(unit__in=policy.reportable_units(user))


def can_manage(user, period: EvaluationPeriod) -> bool:
    """Open/close/reopen/comment: administrators, or HR whose scope holds the period's whole subtree."""
    return policy.can(user, "reports.view_unit", period.unit)


def thresholds_of(period: EvaluationPeriod) -> tuple[float, float, float]:
    if period.thresholds and len(period.thresholds) == 3:
        return tuple(float(t) for t in period.thresholds)  # type: ignore[return-value]
    return conf.index_bands()


def _profiles(period: EvaluationPeriod, positions: list[str]):
    framework = period.framework or comp_selectors.framework_for(_NoFilters())
    mapping = comp_selectors.position_profiles(positions, framework)
    required: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
    for r in TargetRequirement.objects.filter(profile__in={p.pk for p in mapping.values()}).values(
        "profile_id", "competency_id", "level__rank", "level__code"
    ):
        required[r["profile_id"]][r["competency_id"]] = (r["level__rank"], r["level__code"])
    return framework, mapping, required


class _NoFilters:
    framework_id = None


def period_end_moment(period: EvaluationPeriod) -> datetime.datetime:
    """The first instant after the period's last day (local time)."""
    return timezone.make_aware(
        datetime.datetime.combine(period.ends_on + datetime.timedelta(days=1), datetime.time.min)
    )


def evaluation_rows(
    period: EvaluationPeriod, people, *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> Iterator[dict]:
    """One dict per person of ``people`` (a StaffProfile queryset), in name order within units."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    thresholds = thresholds_of(period)
    positions = list(people.order_by().values_list("position", flat=True).distinct())
    framework, mapping, required = _profiles(period, positions)
    comp_meta = {}
    if framework is not None:
        from assessments.models import Competency

        comp_meta = {
            c.pk: (c.code, c.name_vi, c.name_en, c.sort_order) for c in Competency.objects.filter(framework=framework)
        }
    start = period.starts_on
    end_moment = period_end_moment(period)
    start_moment = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    ctx = _Context(
        period=period,
        framework=framework,
        mapping=mapping,
        required=required,
        comp_meta=comp_meta,
        thresholds=thresholds,
        start_moment=start_moment,
        end_moment=end_moment,
        as_of=min(end_moment, now),
        ended=end_moment <= now,
        validity=getattr(framework, "validity_months", 24) or 24,
        min_evidence=scoring_policy().min_evidence,
    )
    base = people.order_by("unit__path", "full_name", "pk").values(
        "pk", "employee_number", "full_name", "position", "unit_id", "unit__code", "unit__name_vi", "unit__name_en"
    )
    buffer: list[dict] = []
    for person in base.iterator(chunk_size=CHUNK):
        buffer.append(person)
        if len(buffer) >= CHUNK:
            yield from _chunk(buffer, ctx)
            buffer = []
    if buffer:
        yield from _chunk(buffer, ctx)


@dataclass(frozen=True)
class _Context:
    period: EvaluationPeriod
    framework: object
    mapping: dict
    required: dict
    comp_meta: dict
    thresholds: tuple
    start_moment: datetime.datetime
    end_moment: datetime.datetime
    as_of: datetime.datetime
    ended: bool
    validity: int
    min_evidence: int


class _Result(NamedTuple):
    score: float
    rank: int  # 0: no level demonstrated
    code: str
    current: bool  # a current result: enough evidence, supporting evidence within the validity
    due: bool  # a level whose supporting evidence is too old: reassessment due


def _result(ctx: _Context, score, rank, code, count, due, level_at, last_at) -> _Result:
    """``rank``/``code``: the current level (0/"" for none); ``due``: a higher level reached on evidence older
    than the validity. Measured = enough evidence and a current level, or, without one, recent evidence."""
    if count < ctx.min_evidence:
        return _Result(score, 0, "", False, False)
    if rank and is_current(level_at, now=ctx.as_of, validity_months=ctx.validity) or (rank and due):
        return _Result(score, rank, code, True, due)
    if rank:  # stored before the level lapsed (the nightly recompute marks it due): due now
        return _Result(score, 0, "", is_current(last_at, now=ctx.as_of, validity_months=ctx.validity), True)
    return _Result(score, 0, "", is_current(last_at, now=ctx.as_of, validity_months=ctx.validity), due)


def _current_results(ctx: _Context, ids: list[int]) -> dict[int, dict[int, _Result]]:
    """Results from the stored current scores (a period still running)."""
    results: dict[int, dict[int, _Result]] = defaultdict(dict)
    for pid, cid, score, rank, code, count, due, level_at, last_at in CompetencyScore.objects.filter(
        person_id__in=ids, competency__framework=ctx.framework
    ).values_list(
        "person_id",
        "competency_id",
        "score",
        "level__rank",
        "level__code",
        "evidence_count",
        "due_level_id",
        "level_evidence_at",
        "last_evidence_at",
    ):
        results[pid][cid] = _result(ctx, score, rank or 0, code or "", count, due is not None, level_at, last_at)
    return results


def _results_as_of_end(ctx: _Context, ids: list[int]) -> dict[int, dict[int, _Result]]:
    """Results as they stood at the period's end, from the evidence recorded before it (one query)."""
    scale = levels_by_framework([ctx.framework.pk])[ctx.framework.pk]
    code_rank = {
        pk: (code, rank)
        for pk, code, rank in ctx.framework.levels.values_list("pk", "code", "rank")  # type: ignore[attr-defined]
    }
    policy = scoring_policy()
    from assessments.scoring.competency import EvidencePoint

    points: dict[tuple[int, int], list] = defaultdict(list)
    for pid, cid, score, weight, at, self_reported, band, observed in (
        Evidence.objects.live()
        .filter(person_id__in=ids, competency__framework=ctx.framework, recorded_at__lt=ctx.end_moment)
        .order_by()
        .values_list(
            "person_id", "competency_id", "score", "weight", "recorded_at", "self_reported", "band", "observed_level_id"
        )
    ):
        points[(pid, cid)].append(EvidencePoint(score, weight, at, self_reported, scale.cap(band, observed)))
    results: dict[int, dict[int, _Result]] = defaultdict(dict)
    for (pid, cid), pts in points.items():
        r = compute(pts, now=ctx.as_of, levels=scale.levels, policy=policy, validity_months=scale.validity_months)
        code, rank = code_rank.get(r.level, ("", 0))
        # level_evidence_at is the due level's when one is due: the current level is current by construction.
        results[pid][cid] = _result(
            ctx, r.score, rank, code, r.evidence_count, r.due_level is not None, ctx.as_of, r.last_evidence_at
        )
    return results


def _chunk(people, ctx: _Context):
    period, framework, mapping, required, comp_meta = (
        ctx.period,
        ctx.framework,
        ctx.mapping,
        ctx.required,
        ctx.comp_meta,
    )
    start_moment, end_moment = ctx.start_moment, ctx.end_moment
    ids = [p["pk"] for p in people]
    scores: dict[int, dict[int, _Result]] = {}
    if framework is not None:
        scores = _results_as_of_end(ctx, ids) if ctx.ended else _current_results(ctx, ids)
    training = {
        r["person_id"]: r
        for r in Enrolment.objects.filter(
            person_id__in=ids,
            source=EnrolmentSource.ASSIGNED,
            due_date__gte=period.starts_on,
            due_date__lte=period.ends_on,
        )
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .annotate(done_day=TruncDate("completed_at"))
        .values("person_id")
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=Q(completed_at__isnull=False, done_day__lte=F("due_date"))),
            # As of the period's end: a course completed after it was not completed then.
            late=Count(
                "id",
                filter=Q(completed_at__isnull=False, done_day__gt=F("due_date"), completed_at__lt=end_moment),
            ),
        )
        .order_by()
    }
    hours = dict(
        CourseCompletion.objects.filter(person_id__in=ids, completed_at__gte=start_moment, completed_at__lt=end_moment)
        .values("person_id")
        .annotate(h=Sum("course__estimated_hours"))
        .order_by()
        .values_list("person_id", "h")
    )
    comments = dict(EvaluationComment.objects.filter(period=period, person_id__in=ids).values_list("person_id", "text"))
    for p in people:
        pid = p["pk"]
        profile = mapping.get(p["position"])
        reqs = required.get(profile.pk, {}) if profile else {}
        mine = scores.get(pid, {})
        levels = []
        for cid in sorted(set(reqs) | set(mine), key=lambda c: comp_meta.get(c, ("", "", "", 0))[3]):
            code, name_vi, name_en, _order = comp_meta.get(cid, ("?", "", "", 0))
            result = mine.get(cid)
            need = reqs.get(cid)
            levels.append(
                {
                    "code": code,
                    "name_vi": name_vi,
                    "name_en": name_en,
                    "score": round(result.score, 4) if result is not None else None,
                    "level": result.code if result is not None else "",
                    "rank": result.rank if result is not None else 0,
                    "required": need[1] if need else "",
                    "required_rank": need[0] if need else None,
                    "current": bool(result and result.current),
                    "due": bool(result and result.due),
                }
            )
        t = training.get(pid, {"total": 0, "on_time": 0, "late": 0})
        training_hours = float(hours.get(pid) or 0)
        measured = [cid for cid in reqs if cid in mine and mine[cid].current]
        unmeasured = sorted(
            (comp_meta.get(cid, ("?", "", "", 0)) for cid in reqs if cid not in measured), key=lambda m: m[3]
        )
        if reqs:
            share = coverage(len(measured), len(reqs))
        else:
            share = 1.0 if any(r.current for r in mine.values()) else 0.0
        inputs = IndexInputs(
            target_levels=[(mine[cid].rank, reqs[cid][0]) for cid in measured],
            scores=[] if reqs else [r.score for r in mine.values() if r.current],
            mandatory_total=t["total"],
            mandatory_on_time=t["on_time"],
            mandatory_late=t["late"],
            training_hours=training_hours,
        )
        result = digital_competency_index(inputs)
        met = sum(1 for cid in measured if mine[cid].rank >= reqs[cid][0])
        suggest = share + 1e-9 >= period.coverage_threshold
        yield {
            "person_id": pid,
            "employee_number": p["employee_number"],
            "full_name": p["full_name"],
            "unit_id": p["unit_id"],
            "unit_code": p["unit__code"],
            "unit_name_vi": p["unit__name_vi"],
            "unit_name_en": p["unit__name_en"],
            "position": p["position"],
            "target_profile": profile.name if profile else "",
            "index": result.value,
            "band": suggested_band(result.value, ctx.thresholds).value if suggest else "",
            "competency_part": round(result.competency, 4) if result.competency is not None else None,
            "training_part": round(result.training, 4) if result.training is not None else None,
            "hours_part": round(result.hours, 4),
            "mandatory_total": t["total"],
            "mandatory_on_time": t["on_time"],
            "mandatory_late": t["late"],
            "training_hours": training_hours,
            "competencies_met": met,
            "competencies_required": len(reqs),
            "levels": levels,
            "coverage": round(share, 4),
            "unmeasured": [m[0] for m in unmeasured],
            "comment": comments.get(pid, ""),
        }


def closing_preview(period: EvaluationPeriod) -> dict:
    """What closing would freeze: how many people, with and without a suggested band (as of the period's end)."""
    people = with_band = 0
    for row in evaluation_rows(period, period_people(period)):
        people += 1
        with_band += bool(row["band"])
    return {"people": people, "with_band": with_band, "without_band": people - with_band}


RECORD_FIELDS = [
    "employee_number",
    "full_name",
    "unit_code",
    "unit_name_vi",
    "unit_name_en",
    "position",
    "target_profile",
    "index",
    "band",
    "competency_part",
    "training_part",
    "hours_part",
    "mandatory_total",
    "mandatory_on_time",
    "mandatory_late",
    "training_hours",
    "competencies_met",
    "competencies_required",
    "levels",
    "coverage",
    "unmeasured",
    "comment",
]


def record_rows(period: EvaluationPeriod, unit_ids=None, person_ids=None) -> Iterator[dict]:
    """The frozen rows of a closed period's current snapshot (dicts shaped like ``evaluation_rows``)."""
    qs = EvaluationRecord.objects.filter(period=period).current()
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    yield from (
        qs.order_by("unit_code", "full_name", "pk")
        .values("person_id", "unit_id", *RECORD_FIELDS)
        .iterator(chunk_size=CHUNK)
    )


def rows_for(user, period: EvaluationPeriod, people=None) -> Iterator[dict]:
    """What the caller sees of a period: the frozen snapshot when closed, live rows when open."""
    if period.status == PeriodStatus.CLOSED:
        if people is None:
            return record_rows(period, policy.reportable_units(user).values("pk"))
        return record_rows(period, policy.reportable_units(user).values("pk"), person_ids=people.values("pk"))
    return evaluation_rows(period, people if people is not None else period_people_for(user, period))
