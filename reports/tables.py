"""Every report table, by key: column headers, a row count and a row iterator aggregated in SQL.

The dashboard, the inline downloads and the background jobs all read tables from here, so a
CSV or XLSX of any table is the same rows the page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .filters import Filters
from .selectors import scope


@dataclass(frozen=True)
class Table:
    key: str
    title: object  # lazy string
    headers: Callable[[], list]
    rows: Callable[[object, Filters], Iterable[tuple]]
    count: Callable[[object, Filters], int]
    per_person: bool = True  # large people-level tables go to the background

    def header_labels(self) -> list[str]:
        return [str(h) for h in self.headers()]


TABLES: dict[str, Table] = {}


def register(table: Table) -> Table:
    TABLES[table.key] = table
    return table


def get(key: str) -> Table | None:
    return TABLES.get(key)


# ---- staff ----


def _staff_headers() -> list:
    return [_("Employee number"), _("Full name"), _("Unit code"), _("Unit"), _("Position"), _("Grade")]


def _staff_rows(user, filters: Filters):
    from django.utils.translation import get_language

    name_field = "unit__name_en" if (get_language() or "vi").startswith("en") else "unit__name_vi"
    return (
        scope.scope_people(user, filters)
        .order_by("unit__path", "full_name", "pk")
        .values_list("employee_number", "full_name", "unit__code", name_field, "position", "grade")
        .iterator(chunk_size=2000)
    )


def _staff_count(user, filters: Filters) -> int:
    return scope.scope_people(user, filters).count()


register(Table("staff", _("Staff"), _staff_headers, _staff_rows, _staff_count))


# ---- the dashboard's charts: each chart's data is a table too ----


def _chart_table(key: str, title) -> Table:
    def headers():
        from django.utils.translation import gettext as _

        return {
            "heatmap": [_("Unit"), _("Competency"), _("Mean score"), _("People scored")],
            "distribution": [_("Competency"), _("Level"), _("People")],
            "trend": [_("Month"), _("Series"), _("Mean score")],
            "compliance_units": [_("Name"), _("Assigned"), _("Completed on time"), _("Completed late"), _("Overdue")],
            "compliance_courses": [_("Name"), _("Assigned"), _("Completed on time"), _("Completed late"), _("Overdue")],
            "gaps": [
                _("Competency"),
                _("People below target"),
                _("Mean shortfall (levels)"),
                _("Courses that address it"),
            ],
        }[key]

    def rows(user, filters):
        from .selectors.dashboard import chart_section

        return chart_section(key, user, filters)["rows"]

    def count(user, filters):
        return 0

    return Table(key, title, headers, rows, count, per_person=False)


for _key, _title in (
    ("heatmap", _("Mean score by unit and competency")),
    ("distribution", _("Proficiency levels per competency")),
    ("trend", _("Mean score over 24 months")),
    ("compliance_units", _("Mandatory training by unit")),
    ("compliance_courses", _("Mandatory training by course")),
    ("gaps", _("Largest gaps against target profiles")),
):
    register(_chart_table(_key, _title))
