"""Data exchange for the ministry's other systems, under /api/v1/reports/.

Token-authenticated (or the browser session) and scoped like the dashboard: administrators see
everything, HR their subtrees, anyone else gets 403; an object outside the caller's scope is a 404.
Every list is paginated (``limit``/``offset``, ``count`` in the body); lists of things that change
accept ``updated_since`` (ISO date-time) and answer ``If-Modified-Since`` with 304 when nothing changed.
"""

from __future__ import annotations

import datetime

from django.db.models import Max, QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from lms import policy
from lms.boundaries.params import MAX_NUMBER
from lms.models import StaffProfile, Unit

router = Router(tags=["reports (data exchange)"])


def _stdlib(cls: type) -> type:
    """The datetime module's own class, even if a test has swapped in a subclass (freezegun does while time is
    frozen, and schemas built from those subclasses cannot be generated)."""
    return next(c for c in cls.__mro__ if c.__module__ == "datetime")


Date = _stdlib(datetime.date)
DateTime = _stdlib(datetime.datetime)

MAX_LIMIT = 1000


class PageParams(Schema):
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_NUMBER)


class UnitOut(Schema):
    id: int
    code: str
    parent_code: str | None
    kind: str
    name_vi: str
    name_en: str
    depth: int


class UnitPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[UnitOut]


class StaffOut(Schema):
    employee_number: str
    full_name: str
    unit_code: str
    position: str
    grade: str
    is_active: bool
    updated_at: DateTime


class StaffPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StaffOut]


def _require_reports(request) -> None:
    if not policy.can(request.user, "reports.access"):
        raise HttpError(403, _("The reports API needs an HR or administrator account."))


def _page(params: PageParams) -> tuple[int, int]:
    if params.limit < 1 or params.limit > MAX_LIMIT:
        raise HttpError(400, _("limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT})
    if params.offset < 0:
        raise HttpError(400, _("offset must not be negative."))
    return params.limit, params.offset


def _not_modified(request, qs: QuerySet, field: str) -> tuple[HttpResponse | None, datetime.datetime | None]:
    """(304 response or None, last-modified) for a queryset with a timestamp field."""
    last = qs.aggregate(last=Max(field))["last"]
    header = request.headers.get("If-Modified-Since")
    if header and last is not None:
        since = parse_http_date_safe(header)
        if since is not None and int(last.timestamp()) <= since:
            response = HttpResponse(status=304)
            response["Last-Modified"] = http_date(last.timestamp())
            return response, last
    return None, last


def _with_last_modified(response, last):
    if last is not None:
        response["Last-Modified"] = http_date(last.timestamp())
    return response


def scoped_unit(request, code: str) -> Unit:
    unit = policy.reportable_units(request.user).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def scoped_person(request, employee_number: str) -> StaffProfile:
    person = (
        StaffProfile.objects.select_related("unit")
        .filter(employee_number=employee_number, unit__in=policy.reportable_units(request.user))
        .first()
    )
    if person is None:
        raise Http404
    return person


@router.get("/reports/units", response=UnitPage, summary="Units the caller may report on (flat, paginated)")
def units(request, page: Query[PageParams]):
    _require_reports(request)
    limit, offset = _page(page)
    qs = policy.reportable_units(request.user).order_by("path")
    rows = qs.values("id", "code", "parent__code", "kind", "name_vi", "name_en", "depth")[offset : offset + limit]
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [{**r, "parent_code": r.pop("parent__code")} for r in rows],
    }


@router.get("/reports/staff", response=StaffPage, summary="Staff in scope: employee number, unit, position")
def staff(
    request,
    response: HttpResponse,
    page: Query[PageParams],
    unit: str | None = None,
    updated_since: DateTime | None = None,
    include_inactive: bool = False,
):
    _require_reports(request)
    limit, offset = _page(page)
    units_qs = policy.reportable_units(request.user)
    if unit:
        units_qs = units_qs.filter(path__startswith=scoped_unit(request, unit).path)
    qs = StaffProfile.objects.filter(unit__in=units_qs)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if updated_since is not None:
        if timezone.is_naive(updated_since):
            updated_since = timezone.make_aware(updated_since)
        qs = qs.filter(updated_at__gt=updated_since)
    not_modified, last = _not_modified(request, qs, "updated_at")
    if not_modified:
        return not_modified
    rows = qs.order_by("updated_at", "pk").values(
        "employee_number", "full_name", "unit__code", "position", "grade", "is_active", "updated_at"
    )[offset : offset + limit]
    body = {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [{**r, "unit_code": r.pop("unit__code")} for r in rows],
    }
    _with_last_modified(response, last)
    return body


# ---- competencies ----


class PersonLevelOut(Schema):
    framework: str
    competency: str
    name_vi: str
    name_en: str
    score: float
    level: str | None
    level_rank: int | None
    evidence_count: int
    confidence: float
    updated_at: DateTime


class PersonLevels(Schema):
    employee_number: str
    full_name: str
    unit_code: str
    items: list[PersonLevelOut]


@router.get(
    "/reports/staff/{employee_number}/competencies",
    response=PersonLevels,
    summary="A person's current competency levels (scores 0..1)",
)
def person_competencies(request, employee_number: str, framework: str | None = None):
    from assessments.models import CompetencyScore

    _require_reports(request)
    person = scoped_person(request, employee_number)
    qs = CompetencyScore.objects.filter(person=person, competency__framework__is_current=True)
    if framework:
        qs = qs.filter(competency__framework__code=framework)
    rows = qs.order_by("competency__framework__code", "competency__sort_order", "competency__code").values(
        "competency__framework__code",
        "competency__code",
        "competency__name_vi",
        "competency__name_en",
        "score",
        "level__code",
        "level__rank",
        "evidence_count",
        "confidence",
        "updated_at",
    )
    return {
        "employee_number": person.employee_number,
        "full_name": person.full_name,
        "unit_code": person.unit.code,
        "items": [
            {
                "framework": r["competency__framework__code"],
                "competency": r["competency__code"],
                "name_vi": r["competency__name_vi"],
                "name_en": r["competency__name_en"],
                "score": r["score"],
                "level": r["level__code"],
                "level_rank": r["level__rank"],
                "evidence_count": r["evidence_count"],
                "confidence": r["confidence"],
                "updated_at": r["updated_at"],
            }
            for r in rows
        ],
    }


class UnitLevelOut(Schema):
    framework: str
    competency: str
    people_scored: int
    mean_score: float
    levels: dict[str, int]


class UnitLevels(Schema):
    unit_code: str
    people: int
    items: list[UnitLevelOut]


@router.get(
    "/reports/units/{code}/competencies",
    response=UnitLevels,
    summary="A unit's (and its subtree's) aggregated current levels",
)
def unit_competencies(request, code: str, framework: str | None = None):
    from django.db.models import Avg, Count

    from assessments.models import CompetencyScore

    _require_reports(request)
    unit = scoped_unit(request, code)
    people = StaffProfile.objects.filter(is_active=True, unit__path__startswith=unit.path)
    qs = CompetencyScore.objects.filter(person__in=people, competency__framework__is_current=True)
    if framework:
        qs = qs.filter(competency__framework__code=framework)
    keys = ("competency__framework__code", "competency__code", "competency__sort_order")
    means = {
        (r["competency__framework__code"], r["competency__code"]): r
        for r in qs.values(*keys).annotate(n=Count("id"), mean=Avg("score")).order_by(*keys)
    }
    levels: dict[tuple[str, str], dict[str, int]] = {}
    for r in (
        qs.values("competency__framework__code", "competency__code", "level__code").annotate(n=Count("id")).order_by()
    ):
        key = (r["competency__framework__code"], r["competency__code"])
        levels.setdefault(key, {})[r["level__code"] or "-"] = r["n"]
    return {
        "unit_code": unit.code,
        "people": people.count(),
        "items": [
            {
                "framework": fw,
                "competency": comp,
                "people_scored": r["n"],
                "mean_score": round(r["mean"], 4),
                "levels": levels.get((fw, comp), {}),
            }
            for (fw, comp), r in means.items()
        ],
    }


# ---- course completions ----


class CompletionRecordOut(Schema):
    id: int
    employee_number: str
    unit_code: str
    course_id: int
    course_title: str
    completed_at: DateTime


class CompletionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CompletionRecordOut]


@router.get("/reports/completions", response=CompletionPage, summary="Course completions since a date (incremental)")
def completions(
    request,
    response: HttpResponse,
    page: Query[PageParams],
    since: DateTime | None = None,
    unit: str | None = None,
):
    from courses.models import CourseCompletion

    _require_reports(request)
    limit, offset = _page(page)
    units_qs = policy.reportable_units(request.user)
    if unit:
        units_qs = units_qs.filter(path__startswith=scoped_unit(request, unit).path)
    qs = CourseCompletion.objects.filter(person__unit__in=units_qs)
    if since is not None:
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        qs = qs.filter(completed_at__gt=since)
    not_modified, last = _not_modified(request, qs, "completed_at")
    if not_modified:
        return not_modified
    rows = qs.order_by("completed_at", "pk").values(
        "id", "person__employee_number", "person__unit__code", "course_id", "course__title", "completed_at"
    )[offset : offset + limit]
    _with_last_modified(response, last)
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [
            {
                "id": r["id"],
                "employee_number": r["person__employee_number"],
                "unit_code": r["person__unit__code"],
                "course_id": r["course_id"],
                "course_title": r["course__title"],
                "completed_at": r["completed_at"],
            }
            for r in rows
        ],
    }


# ---- closed evaluation snapshots ----


class PeriodOut(Schema):
    id: int
    name: str
    unit_code: str
    starts_on: Date
    ends_on: Date
    closed_at: DateTime
    version: int


class PeriodPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PeriodOut]


class RecordOut(Schema):
    employee_number: str
    full_name: str
    unit_code: str
    position: str
    target_profile: str
    index: float
    band: str  # the suggested band; "" when coverage was below the period's threshold (no suggestion)
    coverage: float | None  # share of the target competencies with a current level at the period's end
    unmeasured: list[str]  # codes of the target competencies without a current level
    mandatory_total: int
    mandatory_on_time: int
    mandatory_late: int
    training_hours: float
    competencies_met: int
    competencies_required: int
    levels: list[dict]
    comment: str


class RecordPage(Schema):
    period: PeriodOut
    count: int
    limit: int
    offset: int
    items: list[RecordOut]


def _closed_periods(request):
    from .models import PeriodStatus
    from .selectors.evaluation import visible_periods

    return visible_periods(request.user).filter(status=PeriodStatus.CLOSED)


def _period_out(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "unit_code": p.unit.code,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "closed_at": p.closed_at,
        "version": p.snapshot_version,
    }


@router.get("/reports/evaluations", response=PeriodPage, summary="Closed evaluation periods (snapshots)")
def evaluations(request, page: Query[PageParams], updated_since: DateTime | None = None):
    _require_reports(request)
    limit, offset = _page(page)
    qs = _closed_periods(request)
    if updated_since is not None:
        if timezone.is_naive(updated_since):
            updated_since = timezone.make_aware(updated_since)
        qs = qs.filter(closed_at__gt=updated_since)
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [_period_out(p) for p in qs.order_by("-closed_at", "pk")[offset : offset + limit]],
    }


@router.get(
    "/reports/evaluations/{period_id}/records",
    response=RecordPage,
    summary="The frozen records of a closed period (the caller's units only)",
)
def evaluation_records(request, response: HttpResponse, period_id: int, page: Query[PageParams]):
    from .models import EvaluationRecord

    _require_reports(request)
    limit, offset = _page(page)
    period = _closed_periods(request).filter(pk=period_id).first()
    if period is None:
        raise Http404
    qs = EvaluationRecord.objects.filter(period=period, unit__in=policy.reportable_units(request.user)).current()
    header = request.headers.get("If-Modified-Since")
    since = parse_http_date_safe(header) if header else None
    if since is not None and int(period.closed_at.timestamp()) <= since:
        not_modified = HttpResponse(status=304)
        return _with_last_modified(not_modified, period.closed_at)
    _with_last_modified(response, period.closed_at)
    rows = qs.order_by("unit_code", "full_name", "pk")[offset : offset + limit]
    return {
        "period": _period_out(period),
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [{f: getattr(r, f) for f in RecordOut.model_fields} for r in rows],
    }
