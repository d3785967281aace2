"""Which units and people a report covers: the caller's reportable units, narrowed by the filters."""

from __future__ import annotations

from django.db.models import QuerySet

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


def scope_people(user, filters: Filters) -> QuerySet[StaffProfile]:
    """Active people in the scoped units, narrowed by position and the search text."""
    people = StaffProfile.objects.filter(is_active=True, unit__in=scope_units(user, filters))
    if filters.position:
        people = people.filter(position=filters.position)
    if filters.q:
        from django.db.models import Q

        people = people.filter(Q(full_name__icontains=filters.q) | Q(employee_number__icontains=filters.q))
    return people
