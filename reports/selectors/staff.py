"""The staff list of a unit subtree: one query for the count, one for the page, whatever the size."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lms.models import Unit

from ..filters import Filters
from . import scope

SORTS = {
    "name": ("full_name", "pk"),
    "-name": ("-full_name", "-pk"),
    "number": ("employee_number",),
    "-number": ("-employee_number",),
    "position": ("position", "full_name", "pk"),
    "-position": ("-position", "-full_name", "-pk"),
    "unit": ("unit__path", "full_name", "pk"),
    "-unit": ("-unit__path", "-full_name", "-pk"),
}


def columns() -> list[tuple[str, object]]:
    """(sort key, label) of the sortable columns, in display order."""
    return [
        ("number", _("Employee number")),
        ("name", _("Full name")),
        ("unit", _("Unit")),
        ("position", _("Position")),
    ]


def staff_list(user, unit: Unit, filters: Filters, sort: str = "name") -> QuerySet:
    """Rows (dicts) for the staff list of ``unit``'s subtree within the caller's scope."""
    people = scope.scope_people(user, replace(filters, unit_id=unit.pk))
    return people.order_by(*SORTS.get(sort, SORTS["name"])).values(
        "pk", "employee_number", "full_name", "position", "grade", "unit__code", "unit__name_vi", "unit__name_en"
    )
