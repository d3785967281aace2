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
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from lms import policy
from lms.models import StaffProfile, Unit

router = Router(tags=["reports (data exchange)"])

MAX_LIMIT = 1000


class PageParams(Schema):
    limit: int = 100
    offset: int = 0


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
    updated_at: datetime.datetime


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
    updated_since: datetime.datetime | None = None,
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
