"""Every report table, by key: column headers, a row count and a row iterator aggregated in SQL.

The dashboard, the inline downloads and the background jobs all read tables from here, so a
CSV or XLSX of any table is the same rows the page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    from .selectors.staff import columns

    return [label for _key, label in columns()]


def _staff_rows(user, filters: Filters):
    """The staff list page's table, every page of it, in the page's default order."""
    from .selectors.staff import staff_list, table_row

    return (table_row(row) for row in staff_list(user, None, filters).iterator(chunk_size=2000))


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


# ---- evaluation (needs the period filter) ----


def evaluation_headers() -> list:
    """The evaluation table's columns, on the page and in its exports."""
    return [
        _("Employee number"),
        _("Full name"),
        _("Unit code"),
        _("Unit"),
        _("Position"),
        _("Target profile"),
        _("Digital-competency index"),
        pgettext_lazy("evaluation rating", "Suggested band"),
        _("Coverage (%)"),
        _("Not measured"),
        _("Competencies at target"),
        _("Competencies required"),
        _("Mandatory courses due"),
        _("Completed on time"),
        _("Completed late"),
        _("Training hours"),
        _("HR comment"),
    ]


def _period(user, filters: Filters):
    from django.http import Http404

    from .selectors.evaluation import visible_periods

    period = visible_periods(user).filter(pk=filters.period_id).first() if filters.period_id else None
    if period is None:
        raise Http404
    return period


def _profile_names_en() -> dict[str, str]:
    """{Vietnamese name: English name} of the target profiles (one query). A closed period's records keep the
    name as it read when the period closed (usually Vietnamese); English tables show its English name."""
    from assessments.models import TargetProfile

    return {vi: en for vi, en in TargetProfile.objects.values_list("name_vi", "name_en") if en}


def evaluation_table_rows(rows):
    from django.utils.translation import get_language

    from lms.positions import position_label

    from .index import band_labels

    english = (get_language() or "vi").startswith("en")
    labels = band_labels()
    profiles = _profile_names_en() if english else {}
    for r in rows:
        yield (
            r["employee_number"],
            r["full_name"],
            r["unit_code"],
            r["unit_name_en"] if english else r["unit_name_vi"],
            position_label(r["position"]),
            profiles.get(r["target_profile"], r["target_profile"]),
            r["index"],
            str(labels.get(r["band"], r["band"])),
            round(100 * r["coverage"], 1) if r.get("coverage") is not None else "",
            " ".join(r.get("unmeasured") or []),
            r["competencies_met"],
            r["competencies_required"],
            r["mandatory_total"],
            r["mandatory_on_time"],
            r["mandatory_late"],
            r["training_hours"],
            r["comment"],
        )


def _evaluation_people(user, filters: Filters):
    """The period, and its people narrowed by the unit and position filters (None: the whole period)."""
    from .selectors.evaluation import period_people_for

    period = _period(user, filters)
    if not (filters.unit_id or filters.position):
        return period, None
    people = period_people_for(user, period)
    if filters.unit_id:
        from .selectors.scope import scope_units

        people = people.filter(unit__in=scope_units(user, filters))
    if filters.position:
        people = people.filter(position=filters.position)
    return period, people


def _evaluation_rows(user, filters: Filters):
    from .selectors.evaluation import rows_for

    period, people = _evaluation_people(user, filters)
    return evaluation_table_rows(rows_for(user, period, people))


def _evaluation_count(user, filters: Filters) -> int:
    from .selectors.evaluation import period_people_for

    period, people = _evaluation_people(user, filters)
    return (people if people is not None else period_people_for(user, period)).count()


register(Table("evaluation", _("Evaluation"), evaluation_headers, _evaluation_rows, _evaluation_count))


# ---- the diagnostic placement's launch baseline (people, with their level per area) ----


def baseline_headers() -> list:
    from django.utils.translation import gettext as _

    from .selectors.baseline import area_codes

    return [
        _("Employee number"),
        _("Full name"),
        _("Unit code"),
        _("Unit"),
        _("Position"),
        _("Placement status"),
        _("Placed on"),
        *[_("Area %(code)s: %(name)s") % {"code": code, "name": name} for code, name in area_codes()],
    ]


def baseline_table_rows(rows, codes: list[str]):
    from lms.positions import position_label

    from .selectors.baseline import STATUSES

    for r in rows:
        yield (
            r["employee_number"],
            r["full_name"],
            r["unit_code"],
            r["unit_name"],
            position_label(r["position"]),
            str(STATUSES[r["status"]]),
            r["completed_at"] or "",
            *[r["levels"].get(code, "") for code in codes],
        )


def _baseline_rows(user, filters: Filters):
    from .selectors.baseline import area_codes, people_rows

    return baseline_table_rows(people_rows(user, filters), [code for code, _name in area_codes()])


def _baseline_count(user, filters: Filters) -> int:
    return scope.scope_people(user, filters).count()


register(Table("baseline", _("Placement baseline"), baseline_headers, _baseline_rows, _baseline_count))
