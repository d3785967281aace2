"""Competency aggregates for the dashboard, in SQL; only already-aggregated rows are combined in Python.

Scores are 0..1 in the database and shown as 0..100. "Reporting groups" are the units directly below
the selected unit (or the caller's scope roots), each standing for its whole subtree, so the heatmap
and the trend stay readable for a ministry of 300 units.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from assessments.models import (
    Competency,
    CompetencyScore,
    CompetencyScoreSnapshot,
    Framework,
    ProficiencyLevel,
    TargetProfile,
    TargetRequirement,
    normalise_position,
)
from assessments.services.scores import add_months
from lms import policy
from lms.models import Unit

from .. import conf
from ..filters import Filters
from . import scope


def framework_for(filters: Filters) -> Framework | None:
    if filters.framework_id:
        return Framework.objects.filter(pk=filters.framework_id).first()
    return Framework.objects.current().filter(code="VN-DCF").first() or Framework.objects.current().first()


def competencies(filters: Filters, framework: Framework | None) -> list[Competency]:
    if framework is None:
        return []
    qs = Competency.objects.filter(framework=framework).select_related("area")
    if filters.area_id:
        qs = qs.filter(area_id=filters.area_id)
    return list(qs.order_by("area__sort_order", "sort_order", "code"))


def levels(framework: Framework | None) -> list[ProficiencyLevel]:
    if framework is None:
        return []
    return list(ProficiencyLevel.objects.filter(framework=framework).order_by("rank"))


def as_of_month(filters: Filters, today: datetime.date | None = None) -> datetime.date | None:
    """None: current scores. A year in the past: the December snapshot of that year."""
    today = today or timezone.localdate()
    if not filters.year or filters.year >= today.year:
        return None
    return datetime.date(filters.year, 12, 1)


@dataclass(frozen=True)
class Group:
    pk: int
    code: str
    name: str
    path: str


def reporting_groups(user, filters: Filters) -> list[Group]:
    """The units directly below the selected unit (or below each scope root); a leaf stands for itself."""
    units = scope.scope_units(user, filters)
    if filters.unit_id:
        roots = list(units.filter(pk=filters.unit_id))
    else:
        roots = list(Unit.objects.filter(pk__in=[r.pk for r in policy.hr_roots(user)]))
        if policy.is_admin(user) or not roots:
            roots = list(Unit.objects.filter(parent__isnull=True))
    groups: list[Unit] = []
    for root in roots:
        children = list(Unit.objects.filter(parent=root).order_by("code"))
        groups.extend(children or [root])
        if children and root.staff.filter(is_active=True).exists():
            groups.append(root)
    return [Group(u.pk, u.code, u.name, u.path) for u in groups]


def group_of_unit(groups: list[Group], unit_paths: dict[int, str]) -> dict[int, Group]:
    """unit id -> reporting group: the deepest group whose path is a prefix of the unit's path (a scope
    root listed as a group therefore keeps only its own staff; its children's go to their groups)."""
    ordered = sorted(groups, key=lambda g: len(g.path), reverse=True)
    result = {}
    for unit_id, path in unit_paths.items():
        for g in ordered:
            if path.startswith(g.path):
                result[unit_id] = g
                break
    return result


def _score_source(filters: Filters) -> tuple[QuerySet, dict]:
    month = as_of_month(filters)
    if month is None:
        return CompetencyScore.objects.all(), {}
    return CompetencyScoreSnapshot.objects.filter(month=month), {"month": month}


def cells_as_of(filters: Filters) -> datetime.datetime | None:
    """When the charts of scores come from a roll-up (``UnitScoreCell``, or ``UnitScoreMonthCell`` for a past
    year's December): the time it was built.

    None means "aggregate the score rows themselves": a search by name (the roll-up has no names), a
    past year not rolled up, a roll-up of current scores never built or one older than
    ``conf.score_cells_max_age_minutes`` (its refresh has stopped)."""
    from ..models import UnitScoreCell, UnitScoreMonthCell

    if filters.q:
        return None
    month = as_of_month(filters)
    if month is not None:
        # a past December does not move; its roll-up is rebuilt whenever its snapshots are
        return UnitScoreMonthCell.objects.filter(month=month).values_list("refreshed_at", flat=True).first()
    built = UnitScoreCell.objects.order_by("pk").values_list("refreshed_at", flat=True).first()
    if built is None or timezone.now() - built > datetime.timedelta(minutes=conf.score_cells_max_age_minutes()):
        return None
    return built


def _rolled_cells(user, filters: Filters):
    from ..models import UnitScoreCell, UnitScoreMonthCell

    month = as_of_month(filters)
    if month is not None:
        cells = UnitScoreMonthCell.objects.filter(month=month, unit__in=scope.scope_units(user, filters))
    else:
        cells = UnitScoreCell.objects.filter(unit__in=scope.scope_units(user, filters))
    if filters.position:
        cells = cells.filter(position=filters.position)
    return cells


def score_cells(
    user, filters: Filters, comps: list[Competency], rolled: bool | None = None
) -> list[tuple[int, int, int | None, int, float]]:
    """(unit id, competency id, level id, people, score sum) over the scores of the people in scope.

    Both the heatmap and the level distribution are built from these rows. ``rolled``: read the roll-up
    (see ``cells_as_of``; None decides by it) instead of one GROUP BY over the score table, which at
    ministry scale (millions of rows) alone takes over a second."""
    if not comps:
        return []
    comp_ids = [c.pk for c in comps]
    if rolled is None:
        rolled = cells_as_of(filters) is not None
    if rolled:
        return list(
            _rolled_cells(user, filters)
            .filter(competency_id__in=comp_ids)
            .values_list("unit_id", "competency_id", "level_id")
            .annotate(n=Sum("people"), total=Sum("score_sum"))
            .order_by()
        )
    source, _ = _score_source(filters)
    return list(
        source.filter(scope.people_q(user, filters, "person__"), competency_id__in=comp_ids)
        .values_list("person__unit_id", "competency_id", "level_id")
        .annotate(n=Count("id"), total=Sum("score"))
        .order_by()
    )


def heatmap_rows(user, filters: Filters, comps: list[Competency], cells: list | None = None) -> list[dict]:
    """[{unit, unit_pk, competency, competency_pk, value (mean score 0..100 or None), people}] per group × competency.

    ``cells``: the ``score_cells`` of the same user, filters and competencies, when the caller has them."""
    if cells is None:
        cells = score_cells(user, filters, comps)
    groups = reporting_groups(user, filters)
    unit_paths = dict(
        Unit.objects.filter(pk__in=scope.scope_units(user, filters).values("pk")).values_list("pk", "path")
    )
    owner = group_of_unit(groups, unit_paths)
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0, 0.0])
    for unit_id, competency_id, _level_id, n, total in cells:
        g = owner.get(unit_id)
        if g is None:
            continue
        cell = sums[(g.pk, competency_id)]
        cell[0] += n
        cell[1] += total
    result = []
    for g in groups:
        for c in comps:
            n, total = sums.get((g.pk, c.pk), (0, 0.0))
            result.append(
                {
                    "unit": g.name,
                    "unit_code": g.code,
                    "unit_pk": g.pk,
                    "competency": c.code,
                    "competency_name": c.name,
                    "competency_pk": c.pk,
                    "value": round(100 * total / n, 1) if n else None,
                    "people": n,
                }
            )
    return result


def distribution_rows(
    user, filters: Filters, comps: list[Competency], level_list: list[ProficiencyLevel], cells: list | None = None
) -> list[dict]:
    """[{competency, level, count}] people per level per competency; people scored without a level yet are
    counted under "—"; people with no score at all are not counted. ``cells`` as for ``heatmap_rows``."""
    if cells is None:
        cells = score_cells(user, filters, comps)
    counts: dict[tuple[int, int | None], int] = defaultdict(int)
    for _unit_id, competency_id, level_id, n, _total in cells:
        counts[(competency_id, level_id)] += n
    result = []
    for c in comps:
        for lv in [None, *level_list]:
            n = counts.get((c.pk, lv.pk if lv else None), 0)
            result.append({"competency": c.code, "level": lv.code if lv else "—", "count": n})
    return result


def trend_rows(user, filters: Filters, comps: list[Competency], months: int = 24, today=None) -> list[dict]:
    """[{month, series, value}] mean score (0..100) per month for the whole selection and per reporting group
    (groups only when there are at most 8 of them).

    Months already rolled up in ``UnitCompetencyMonth`` are read from it (a few hundred rows a month, per
    position); other months, and any request filtered by name, are aggregated from the snapshots themselves."""
    from ..models import UnitCompetencyMonth

    today = today or timezone.localdate()
    end = as_of_month(filters, today) or today.replace(day=1)
    start = add_months(end, -(months - 1))
    comp_ids = [c.pk for c in comps]
    units = scope.scope_units(user, filters)
    rolled: list[datetime.date] = []
    rows: list[dict] = []
    if not filters.q:
        rolled = list(
            UnitCompetencyMonth.objects.filter(month__gte=start, month__lte=end)
            .order_by()
            .values_list("month", flat=True)
            .distinct()
        )
        month_rows = UnitCompetencyMonth.objects.filter(
            unit__in=units, competency_id__in=comp_ids, month__gte=start, month__lte=end
        )
        if filters.position:
            month_rows = month_rows.filter(position=filters.position)
        rows += [
            {"month": r["month"], "person__unit_id": r["unit_id"], "n": r["n"], "total": r["total"]}
            for r in month_rows.values("month", "unit_id").annotate(n=Sum("people"), total=Sum("score_sum")).order_by()
        ]
    people = scope.scope_people(user, filters)
    missing = [m for m in (add_months(start, i) for i in range(months)) if m not in set(rolled)]
    if missing:
        # a positive month list lets the (month, competency) index skip the rolled-up months entirely
        rows += list(
            CompetencyScoreSnapshot.objects.filter(person__in=people, competency__in=comp_ids, month__in=missing)
            .values("month", "person__unit_id")
            .annotate(n=Count("id"), total=Sum("score"))
            .order_by()
        )
    groups = reporting_groups(user, filters)
    unit_paths = dict(Unit.objects.filter(pk__in=units.values("pk")).values_list("pk", "path"))
    owner = group_of_unit(groups, unit_paths) if len(groups) <= 8 else {}
    overall: dict[datetime.date, list[float]] = defaultdict(lambda: [0, 0.0])
    per_group: dict[tuple[str, datetime.date], list[float]] = defaultdict(lambda: [0, 0.0])
    for r in rows:
        overall[r["month"]][0] += r["n"]
        overall[r["month"]][1] += r["total"]
        g = owner.get(r["person__unit_id"])
        if g is not None:
            cell = per_group[(g.name, r["month"])]
            cell[0] += r["n"]
            cell[1] += r["total"]
    from django.utils.translation import gettext as _

    result = [
        {"month": m, "series": _("All selected"), "value": round(100 * t / n, 1)}
        for m, (n, t) in sorted(overall.items())
        if n
    ]
    result += [
        {"month": m, "series": name, "value": round(100 * t / n, 1)}
        for (name, m), (n, t) in sorted(per_group.items())
        if n
    ]
    return result


def position_profiles(positions: list[str], framework: Framework | None) -> dict[str, TargetProfile]:
    """Position title -> target profile (of the framework), matched as TargetProfile.positions says."""
    if framework is None:
        return {}
    by_key: dict[str, TargetProfile] = {}
    for profile in TargetProfile.objects.filter(framework=framework).order_by("code"):
        for key in profile.position_keys():
            by_key.setdefault(key, profile)
    return {p: by_key[normalise_position(p)] for p in positions if normalise_position(p) in by_key}


def gap_rows(
    user,
    filters: Filters,
    comps: list[Competency],
    framework: Framework | None,
    limit: int = 10,
    rolled: bool | None = None,
) -> list[dict]:
    """Largest gaps against target profiles: per competency, people below their required level and the
    mean shortfall in levels (a person with no level counts as rank 0). Sorted by total shortfall.
    ``rolled`` as for ``score_cells``: from the roll-up, headcounts included, or from the score rows."""
    if rolled is None:
        rolled = cells_as_of(filters) is not None
    people = scope.scope_people(user, filters)
    if rolled:
        heads = _rolled_cells(user, filters).filter(competency__isnull=True)
        positions = list(heads.values_list("position", flat=True).distinct().order_by())
    else:
        positions = list(people.order_by().values_list("position", flat=True).distinct())
    mapping = position_profiles(positions, framework)
    if not mapping:
        return []
    comp_ids = {c.pk for c in comps}
    profiles: dict[int, list[str]] = defaultdict(list)
    for position, profile in mapping.items():
        profiles[profile.pk].append(position)
    requirements = TargetRequirement.objects.filter(profile_id__in=profiles, competency_id__in=comp_ids).values(
        "profile_id", "competency_id", "level__rank"
    )
    required: dict[int, dict[int, int]] = defaultdict(dict)
    for r in requirements:
        required[r["profile_id"]][r["competency_id"]] = r["level__rank"]
    profile_of = {position: profile.pk for position, profile in mapping.items()}
    headcount: dict[int, int] = defaultdict(int)
    wanted = {cid for reqs in required.values() for cid in reqs}
    if rolled:
        counted = heads.filter(position__in=list(mapping)).values_list("position").annotate(n=Sum("people"))
        ranks = (
            _rolled_cells(user, filters)
            .filter(position__in=list(mapping), competency_id__in=list(wanted))
            .values_list("position", "competency_id", "level__rank")
            .annotate(n=Sum("people"))
            .order_by()
        )
    else:
        counted = people.filter(position__in=list(mapping)).values_list("position").annotate(n=Count("id"))
        # one GROUP BY for every profile: the score table is read once, whatever the number of profiles
        source, _ = _score_source(filters)
        ranks = (
            source.filter(
                scope.people_q(user, filters, "person__"),
                person__position__in=list(mapping),
                competency_id__in=list(wanted),
            )
            .values_list("person__position", "competency_id", "level__rank")
            .annotate(n=Count("id"))
            .order_by()
        )
    for position, n in counted.order_by():
        headcount[profile_of[position]] += n
    below: dict[int, int] = defaultdict(int)
    shortfall: dict[int, int] = defaultdict(int)
    seen: dict[tuple[int, int], int] = defaultdict(int)
    for position, comp_id, rank, n in ranks:
        profile_id = profile_of[position]
        need = required.get(profile_id, {}).get(comp_id)
        if need is None:
            continue
        seen[(profile_id, comp_id)] += n
        if (rank or 0) < need:
            below[comp_id] += n
            shortfall[comp_id] += (need - (rank or 0)) * n
    for profile_id, reqs in required.items():
        for comp_id, need in reqs.items():
            missing = headcount[profile_id] - seen[(profile_id, comp_id)]
            if missing > 0:
                below[comp_id] += missing
                shortfall[comp_id] += need * missing
    by_pk = {c.pk: c for c in comps}
    rows = [
        {
            "competency": by_pk[cid].code,
            "competency_name": by_pk[cid].name,
            "competency_pk": cid,
            "people": below[cid],
            "gap": round(shortfall[cid] / below[cid], 2) if below[cid] else 0.0,
            "shortfall": shortfall[cid],
        }
        for cid in below
        if below[cid] > 0
    ]
    rows.sort(key=lambda r: (-r["shortfall"], r["competency"]))
    return rows[:limit]
