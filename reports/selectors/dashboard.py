"""Everything the dashboard shows, as plain rows aggregated in SQL, plus the figures built from them."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lms import formatting
from lms.models import Unit

from .. import charts
from ..filters import Filters
from . import competency as comp_selectors
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


class _Context:
    """Framework, competencies and levels for one request, computed once and shared by the sections."""

    def __init__(self, filters: Filters):
        self.framework = comp_selectors.framework_for(filters)
        self.comps = comp_selectors.competencies(filters, self.framework)
        self.levels = comp_selectors.levels(self.framework)
        # decided once, so every chart of one page comes from the same source (roll-up or score rows)
        self.scores_as_of = comp_selectors.cells_as_of(filters)
        self._cells: list | None = None

    def score_cells(self, user, filters: Filters) -> list:
        """The per-unit, per-level score sums, read once for the heatmap and the distribution."""
        if self._cells is None:
            rolled = self.scores_as_of is not None
            self._cells = comp_selectors.score_cells(user, filters, self.comps, rolled=rolled)
        return self._cells


def _heatmap(user, filters, ctx):
    heat = comp_selectors.heatmap_rows(user, filters, ctx.comps, ctx.score_cells(user, filters))
    return {
        "title": _("Mean score by unit and competency (0–100)"),
        "as_of": ctx.scores_as_of,
        "figure": charts.heatmap(heat, value_label=_("Mean score")).to_json() if heat else None,
        "headers": [_("Unit"), _("Competency"), _("Mean score"), _("People scored")],
        "rows": [(r["unit"], f"{r['competency']} {r['competency_name']}", r["value"], r["people"]) for r in heat],
    }


def _distribution(user, filters, ctx):
    dist = comp_selectors.distribution_rows(user, filters, ctx.comps, ctx.levels, ctx.score_cells(user, filters))
    level_names = ["—", *[lv.code for lv in ctx.levels]]
    return {
        "title": _("Proficiency levels per competency (people)"),
        "as_of": ctx.scores_as_of,
        "figure": charts.distribution(dist, level_names).to_json() if any(r["count"] for r in dist) else None,
        "headers": [_("Competency"), _("Level"), _("People")],
        "rows": [(r["competency"], r["level"], r["count"]) for r in dist if r["count"]],
    }


def _trend(user, filters, ctx):
    trend = comp_selectors.trend_rows(user, filters, ctx.comps)
    return {
        "title": _("Mean score over the last 24 months"),
        "figure": charts.trend(trend, value_label=_("Mean score"), month_label=formatting.format_month).to_json()
        if trend
        else None,
        "headers": [_("Month"), _("Series"), _("Mean score")],
        "rows": [(formatting.Month.of(r["month"]), r["series"], r["value"]) for r in trend],
    }


def _compliance_labels() -> dict:
    return {
        "on_time": _("Completed on time"),
        "late": _("Completed late"),
        "overdue": _("Overdue"),
        "open": _("Open, not yet due"),
    }


def _compliance(title, rows):
    labels = _compliance_labels()
    return {
        "title": title,
        "figure": charts.compliance(rows, labels).to_json() if rows else None,
        "headers": [_("Name"), _("Assigned"), labels["on_time"], labels["late"], labels["overdue"]],
        "rows": [(r["label"], r["assigned"], r["on_time"], r["late"], r["overdue"]) for r in rows],
    }


def _compliance_units(user, filters, ctx):
    from . import compliance

    return _compliance(_("Mandatory training by unit"), compliance.by_unit(user, filters))


def _compliance_courses(user, filters, ctx):
    from . import compliance

    return _compliance(_("Mandatory training by course"), compliance.by_course(user, filters))


def _gaps(user, filters, ctx):
    from . import compliance

    gaps = comp_selectors.gap_rows(user, filters, ctx.comps, ctx.framework, rolled=ctx.scores_as_of is not None)
    courses_for = compliance.courses_for_competencies([g["competency_pk"] for g in gaps])
    return {
        "title": _("Largest gaps against target profiles"),
        "as_of": ctx.scores_as_of,
        "figure": charts.gaps(gaps, value_label=_("Mean shortfall (levels)")).to_json() if gaps else None,
        "headers": [
            _("Competency"),
            _("People below target"),
            _("Mean shortfall (levels)"),
            _("Courses that address it"),
        ],
        "rows": [
            (
                f"{g['competency']} {g['competency_name']}",
                g["people"],
                g["gap"],
                "; ".join(courses_for.get(g["competency_pk"], [])),
            )
            for g in gaps
        ],
    }


SECTIONS = {
    "heatmap": _heatmap,
    "distribution": _distribution,
    "trend": _trend,
    "compliance_units": _compliance_units,
    "compliance_courses": _compliance_courses,
    "gaps": _gaps,
}


def chart_section(key: str, user, filters: Filters, ctx: _Context | None = None) -> dict:
    section = SECTIONS[key](user, filters, ctx or _Context(filters))
    section["key"] = key
    return section


def chart_sections(user, filters: Filters) -> list[dict]:
    """One dict per chart: key, title, figure JSON, table headers and rows (the table alternative)."""
    ctx = _Context(filters)
    return [chart_section(key, user, filters, ctx) for key in SECTIONS]


CACHE_SECONDS = 300


def _cache_key(user, filters: Filters) -> str:
    """Same scope + same filters + same language + same data version = same charts, whoever asks."""
    import hashlib

    from django.utils.translation import get_language

    from lms import policy

    from ..services.freshness import dashboard_version

    scope_key = (
        "admin"
        if policy.is_admin(user)
        else ",".join(str(r.pk) for r in sorted(policy.hr_roots(user), key=lambda r: r.pk))
    )
    raw = f"{scope_key}|{sorted(filters.as_params().items())}|{get_language()}|{dashboard_version()}"
    return "reports:dashboard:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_chart_sections(user, filters: Filters) -> list[dict]:
    """The charts, cached for five minutes per scope, filters and data version (``services.freshness``): the
    dashboard is read far more often than the data move, and at ministry scale the aggregates take a second."""
    from django.core.cache import cache

    key = _cache_key(user, filters)
    sections = cache.get(key)
    if sections is None:
        sections = chart_sections(user, filters)
        cache.set(key, sections, CACHE_SECONDS)
    return sections


def cached_unit_headcounts(user, filters: Filters) -> list[dict]:
    """``unit_headcounts`` under the same key and version as the charts: a warm page runs no aggregate."""
    from django.core.cache import cache

    key = _cache_key(user, filters) + ":units"
    units = cache.get(key)
    if units is None:
        units = unit_headcounts(user, filters)
        cache.set(key, units, CACHE_SECONDS)
    return units


def dashboard_context(user, filters: Filters) -> dict:
    framework = comp_selectors.framework_for(filters)
    return {
        "units": cached_unit_headcounts(user, filters),
        "sections": cached_chart_sections(user, filters),
        "framework": framework,
        "as_of": comp_selectors.as_of_month(filters),
    }
