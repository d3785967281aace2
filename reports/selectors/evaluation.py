"""Evaluation rows: per person, levels against the target profile, mandatory training on time, training hours
and the digital-competency index. Read in chunks with a fixed number of aggregated queries per chunk."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from assessments.models import CompetencyScore, TargetRequirement
from courses.models import CourseCompletion, Enrolment, EnrolmentSource, EnrolmentStatus
from lms import policy
from lms.models import StaffProfile

from .. import conf
from ..index import IndexInputs, digital_competency_index, suggested_band
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


def evaluation_rows(period: EvaluationPeriod, people, *, today: datetime.date | None = None) -> Iterator[dict]:
    """One dict per person of ``people`` (a StaffProfile queryset), in name order within units."""
    today = today or timezone.localdate()
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
    end = period.ends_on
    end_moment = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    start_moment = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    base = people.order_by("unit__path", "full_name", "pk").values(
        "pk", "employee_number", "full_name", "position", "unit_id", "unit__code", "unit__name_vi", "unit__name_en"
    )
    buffer: list[dict] = []
    for person in base.iterator(chunk_size=CHUNK):
        buffer.append(person)
        if len(buffer) >= CHUNK:
            yield from _chunk(
                buffer, period, framework, mapping, required, comp_meta, thresholds, start_moment, end_moment, today
            )
            buffer = []
    if buffer:
        yield from _chunk(
            buffer, period, framework, mapping, required, comp_meta, thresholds, start_moment, end_moment, today
        )


def _chunk(people, period, framework, mapping, required, comp_meta, thresholds, start_moment, end_moment, today):
    ids = [p["pk"] for p in people]
    scores: dict[int, dict[int, tuple[float, int, str]]] = defaultdict(dict)
    if framework is not None:
        for pid, cid, score, rank, code in CompetencyScore.objects.filter(
            person_id__in=ids, competency__framework=framework
        ).values_list("person_id", "competency_id", "score", "level__rank", "level__code"):
            scores[pid][cid] = (score, rank or 0, code or "")
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
            late=Count("id", filter=Q(completed_at__isnull=False, done_day__gt=F("due_date"))),
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
            score, rank, level_code = mine.get(cid, (None, 0, ""))
            need = reqs.get(cid)
            levels.append(
                {
                    "code": code,
                    "name_vi": name_vi,
                    "name_en": name_en,
                    "score": round(score, 4) if score is not None else None,
                    "level": level_code,
                    "rank": rank,
                    "required": need[1] if need else "",
                    "required_rank": need[0] if need else None,
                }
            )
        t = training.get(pid, {"total": 0, "on_time": 0, "late": 0})
        training_hours = float(hours.get(pid) or 0)
        inputs = IndexInputs(
            target_levels=[(mine.get(cid, (0, 0, ""))[1], need[0]) for cid, need in reqs.items()],
            scores=[] if reqs else [s[0] for s in mine.values()],
            mandatory_total=t["total"],
            mandatory_on_time=t["on_time"],
            mandatory_late=t["late"],
            training_hours=training_hours,
        )
        result = digital_competency_index(inputs)
        met = sum(1 for cid, need in reqs.items() if mine.get(cid, (0, 0, ""))[1] >= need[0])
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
            "band": suggested_band(result.value, thresholds).value,
            "competency_part": round(result.competency, 4),
            "training_part": round(result.training, 4) if result.training is not None else None,
            "hours_part": round(result.hours, 4),
            "mandatory_total": t["total"],
            "mandatory_on_time": t["on_time"],
            "mandatory_late": t["late"],
            "training_hours": training_hours,
            "competencies_met": met,
            "competencies_required": len(reqs),
            "levels": levels,
            "comment": comments.get(pid, ""),
        }


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
