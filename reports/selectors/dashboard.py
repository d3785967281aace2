"""Everything the dashboard shows, as plain rows aggregated in SQL."""

from __future__ import annotations

from django.db.models import Count, Q

from lms.models import Unit

from ..filters import Filters
from . import scope


def unit_headcounts(user, filters: Filters) -> list[dict]:
    """Active people per unit (own staff, not the subtree), for the units in scope."""
    units = scope.scope_units(user, filters)
    people = Q(staff__is_active=True)
    if filters.position:
        people &= Q(staff__position=filters.position)
    return list(
        Unit.objects.filter(pk__in=units.values("pk"))
        .annotate(people=Count("staff", filter=people))
        .order_by("path")
        .values("pk", "code", "name_vi", "name_en", "depth", "people")
    )


def dashboard_context(user, filters: Filters) -> dict:
    return {"units": unit_headcounts(user, filters)}
