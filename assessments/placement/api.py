"""Placement reads under /api/v1/: the signed-in officer's own placement, and HR's baseline rows (scoped like
/api/v1/reports/: administrators everything, HR their subtrees, anyone else 403, a unit outside scope 404).

Nothing here gives away the test: no item, key or item parameter; only results of finished sessions.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from lms import policy
from reports.api import DateTime, PageParams, _page, _require_reports, scoped_unit
from reports.filters import Filters

from .models import DiagnosticSession, SectionResult, SessionStatus

router = Router(tags=["placement"])


class AreaPlacementOut(Schema):
    area: str
    name_vi: str
    name_en: str
    level: str
    level_rank: int
    ability: float
    standard_error: float
    items: int


class PlacementOut(Schema):
    session: int
    form_vi: str
    form_en: str
    framework: str
    completed_at: DateTime
    areas: list[AreaPlacementOut]


@router.get("/me/placement", response=list[PlacementOut], summary="The signed-in officer's current placements")
def my_placement(request):
    """Each form's latest completed, not superseded placement of the caller; 404 without a staff profile."""
    person = policy.profile_of(request.user)
    if person is None or not policy.can(request.user, "competency.view_person", person):
        raise Http404
    sessions = list(
        DiagnosticSession.objects.filter(person=person, status=SessionStatus.COMPLETED, superseded_at__isnull=True)
        .select_related("form__framework")
        .order_by("-completed_at")
    )
    sections: dict[int, list] = {}
    for s in (
        SectionResult.objects.filter(session__in=sessions)
        .select_related("area", "level")
        .order_by("area__sort_order", "area__code")
    ):
        sections.setdefault(s.session_id, []).append(
            {
                "area": s.area.code,
                "name_vi": s.area.name_vi,
                "name_en": s.area.name_en,
                "level": s.level.code,
                "level_rank": s.level.rank,
                "ability": round(s.theta, 3),
                "standard_error": round(s.se, 3),
                "items": s.items,
            }
        )
    return [
        {
            "session": s.pk,
            "form_vi": s.form.title_vi,
            "form_en": s.form.title_en,
            "framework": s.form.framework.code,
            "completed_at": s.completed_at,
            "areas": sections.get(s.pk, []),
        }
        for s in sessions
    ]


class BaselineRowOut(Schema):
    employee_number: str
    full_name: str
    unit_code: str
    position: str
    status: str
    completed_at: DateTime | None
    levels: dict[str, str]


class BaselinePage(Schema):
    framework: str | None
    count: int
    limit: int
    offset: int
    items: list[BaselineRowOut]


STATUS_CHOICES = ("taken", "in_progress", "not_started")


@router.get("/reports/baseline", response=BaselinePage, summary="Placement baseline: each person in scope")
def baseline_rows(request, page: Query[PageParams], unit: str | None = None, status: str | None = None):
    """Status (taken, in_progress, not_started), placement date and level per area code of every active person in
    the caller's scope (``unit``: a unit code and its subtree)."""
    from reports.selectors import baseline as sel

    _require_reports(request)
    limit, offset = _page(page)
    if status and status not in STATUS_CHOICES:
        raise HttpError(400, _("status must be one of: %(choices)s.") % {"choices": ", ".join(STATUS_CHOICES)})
    filters = Filters(unit_id=scoped_unit(request, unit).pk if unit else None)
    framework = sel.baseline_framework()
    if framework is None:
        return {"framework": None, "count": 0, "limit": limit, "offset": offset, "items": []}
    count = sel.people_with_status(request.user, filters, framework.pk, status or "").count()
    rows = sel.people_rows(request.user, filters, status=status or "", limit=limit, offset=offset)
    return {
        "framework": framework.code,
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [
            {
                "employee_number": r["employee_number"],
                "full_name": r["full_name"],
                "unit_code": r["unit_code"],
                "position": r["position"],
                "status": r["status"],
                "completed_at": r["completed_at"],
                "levels": r["levels"],
            }
            for r in rows
        ],
    }
