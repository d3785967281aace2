"""Which units and people a report covers: the caller's reportable units, narrowed by the filters."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lms import policy
from lms.models import StaffProfile, Unit

from ..filters import Filters


def scope_units(user, filters: Filters) -> QuerySet[Unit]:
    units = policy.reportable_units(user)
    if filters.unit_id:
        root = units.filter(pk=filters.unit_id).first()
        if root is None:
            return Unit.objects.none()
        units = units.filter(path__startswith=root.path)
    return units


def people_q(user, filters: Filters, prefix: str = "") -> Q:
    """The condition ``scope_people`` applies, for a query on a table that points at the person (``prefix``
    "person__"): filtering the joined profile directly saves the aggregates a second join through a subquery."""
    q = Q(**{f"{prefix}is_active": True, f"{prefix}unit__in": scope_units(user, filters)})
    if filters.position:
        q &= Q(**{f"{prefix}position": filters.position})
    if filters.q:
        q &= Q(**{f"{prefix}full_name__icontains": filters.q}) | Q(**{f"{prefix}employee_number__icontains": filters.q})
    return q


def scope_people(user, filters: Filters) -> QuerySet[StaffProfile]:
    """Active people in the scoped units, narrowed by position and the search text."""
    return StaffProfile.objects.filter(people_q(user, filters))
