"""The roll-up of current scores (``UnitScoreCell``): hand-computed contents, and the dashboard charts built
from it equal the ones aggregated from the score rows, for every filter and scope, until a score moves."""

import pytest

from reports.filters import Filters
from reports.models import UnitScoreCell
from reports.selectors import competency as sel
from reports.services.rollups import score_cells_refresh
from tests.reports.conftest import put_score


def _cells(rows):
    return {(r["unit_code"], r["competency"]): (r["value"], r["people"]) for r in rows}


def _charts(user, filters, vn, *, rolled):
    comps = sel.competencies(filters, vn["framework"])
    levels = sel.levels(vn["framework"])
    return {
        "heatmap": sel.heatmap_rows(user, filters, comps, sel.score_cells(user, filters, comps, rolled=rolled)),
        "distribution": sel.distribution_rows(
            user, filters, comps, levels, sel.score_cells(user, filters, comps, rolled=rolled)
        ),
        "gaps": sel.gap_rows(user, filters, comps, vn["framework"], rolled=rolled),
    }


def test_refresh_sums_scores_per_unit_position_competency_and_level(org, people, scored):
    c, lv = scored["c"], scored["level"]
    written = score_cells_refresh()
    assert written == UnitScoreCell.objects.count()
    scores = {
        (r.unit.code, r.position, r.competency.code, r.level.rank): (r.people, round(r.score_sum, 6))
        for r in UnitScoreCell.objects.filter(competency__isnull=False).select_related("unit", "competency", "level")
    }
    assert scores == {
        ("FR", "Bí thư thứ nhất", "1.1", 7): (1, 0.8),
        ("FR", "Chuyên viên", "1.1", 5): (1, 0.5),
        ("DE", "Chuyên viên", "1.1", 5): (1, 0.6),
        ("DE", "Chuyên viên", "1.2", 2): (1, 0.2),
        ("JP", "Chuyên viên", "1.1", 8): (1, 1.0),
    }
    heads = {
        (r.unit.code, r.position): r.people
        for r in UnitScoreCell.objects.filter(competency__isnull=True).select_related("unit")
    }
    assert heads == {
        ("FR", "Bí thư thứ nhất"): 1,
        ("FR", "Chuyên viên"): 1,
        ("DE", "Chuyên viên"): 1,
        ("JP", "Chuyên viên"): 1,
    }
    assert len({r.refreshed_at for r in UnitScoreCell.objects.all()}) == 1
    # two fresh people in France, one scored twice at one level: counted together, the inactive one not at all
    from tests.factories import make_person

    a = make_person("fr3", org["FR"], position="Chuyên viên")
    gone = make_person("fr4", org["FR"], position="Chuyên viên")
    put_score(a, c["1.1"], 0.3, 5, lv)
    put_score(gone, c["1.1"], 0.9, 5, lv)
    gone.is_active = False
    gone.save()
    score_cells_refresh()
    cell = UnitScoreCell.objects.get(unit=org["FR"], position="Chuyên viên", competency=c["1.1"], level=lv[5])
    assert (cell.people, round(cell.score_sum, 6)) == (2, 0.8)
    assert UnitScoreCell.objects.get(unit=org["FR"], position="Chuyên viên", competency__isnull=True).people == 2


def test_charts_from_the_rollup_are_the_hand_computed_ones(hr_eu, scored):
    score_cells_refresh()
    assert sel.cells_as_of(Filters()) is not None
    comps = [scored["c"]["1.1"], scored["c"]["1.2"]]
    rows = sel.heatmap_rows(hr_eu.user, Filters(), comps)
    assert _cells(rows) == {
        ("DE", "1.1"): (60.0, 1),
        ("DE", "1.2"): (20.0, 1),
        ("FR", "1.1"): (65.0, 2),
        ("FR", "1.2"): (None, 0),
    }
    levels = list(scored["level"].values())
    counts = {r["level"]: r["count"] for r in sel.distribution_rows(hr_eu.user, Filters(), comps[:1], levels)}
    assert {k: v for k, v in counts.items() if v} == {"NC1": 2, "CS1": 1}


@pytest.mark.parametrize(
    "make_filters",
    [
        lambda org, vn: Filters(),
        lambda org, vn: Filters(unit_id=org["EU"].pk),
        lambda org, vn: Filters(unit_id=org["FR"].pk),
        lambda org, vn: Filters(position="Chuyên viên"),
        lambda org, vn: Filters(area_id=vn["c"]["1.2"].area_id),
        lambda org, vn: Filters(framework_id=vn["framework"].pk, unit_id=org["DE"].pk, position="Chuyên viên"),
    ],
)
def test_rollup_equals_the_direct_aggregation_for_every_filter_and_scope(
    org, hr_eu, hr_ap, admin_user, scored, target_chuyen_vien, make_filters
):
    score_cells_refresh()
    filters = make_filters(org, scored)
    for user in (hr_eu.user, hr_ap.user, admin_user):
        if filters.unit_id and user is hr_ap.user:
            continue  # EU, FR and DE are outside the Asia HR's scope (a 404 before any chart)
        assert _charts(user, filters, scored, rolled=True) == _charts(user, filters, scored, rolled=False)
    assert _charts(hr_eu.user, Filters(), scored, rolled=True)["gaps"]  # the comparison is not of empty lists


def test_rollup_keeps_its_picture_until_refreshed(hr_eu, people, scored, target_chuyen_vien):
    c, lv = scored["c"], scored["level"]
    score_cells_refresh()
    before = sel.cells_as_of(Filters())
    put_score(people["fr2"], c["1.1"], 0.9, 8, lv)  # FR 1.1 becomes (0.8 + 0.9) / 2 = 85
    comps = [c["1.1"]]
    assert _cells(sel.heatmap_rows(hr_eu.user, Filters(), comps))[("FR", "1.1")] == (65.0, 2)
    assert sel.cells_as_of(Filters()) == before  # ... and the page says how old that is
    direct = _charts(hr_eu.user, Filters(), scored, rolled=False)
    assert _cells(
        sel.heatmap_rows(hr_eu.user, Filters(), comps, sel.score_cells(hr_eu.user, Filters(), comps, rolled=False))
    )[("FR", "1.1")] == (85.0, 2)
    score_cells_refresh()
    assert sel.cells_as_of(Filters()) >= before
    assert _cells(sel.heatmap_rows(hr_eu.user, Filters(), comps))[("FR", "1.1")] == (85.0, 2)
    assert _charts(hr_eu.user, Filters(), scored, rolled=True) == direct


def test_search_by_name_and_past_years_never_use_the_rollup(hr_eu, people, scored):
    score_cells_refresh()
    assert sel.cells_as_of(Filters(q="Tuyết")) is None
    assert sel.cells_as_of(Filters(year=2024)) is None
    rows = sel.heatmap_rows(hr_eu.user, Filters(q="Tuyết"), [scored["c"]["1.1"]])
    assert _cells(rows)[("FR", "1.1")] == (80.0, 1)


def test_dashboard_says_how_old_the_rolled_up_charts_are(client, hr_eu, scored):
    client.force_login(hr_eu.user)
    assert 'class="as-of"' not in client.get("/reports/").content.decode()  # no roll-up yet: the score rows
    score_cells_refresh()
    from django.core.cache import cache

    cache.clear()
    body = client.get("/reports/").content.decode()
    assert body.count('class="as-of"') == 3  # heatmap, distribution, gaps
    assert 'class="as-of"' not in client.get("/reports/?q=Tuy%E1%BA%BFt").content.decode()


def test_refresh_task_runs_the_service(scored):
    from reports.tasks import score_cells_refresh_task

    score_cells_refresh_task.delay()  # eager in tests
    assert UnitScoreCell.objects.filter(competency__isnull=False).count() == 5


def test_a_rollup_whose_refresh_stopped_is_not_used(hr_eu, people, scored, settings):
    """If the refresh task stops, HR gets live figures rather than an ever older picture."""
    from datetime import timedelta

    from django.utils import timezone

    settings.REPORTS_SCORE_CELLS_MAX_AGE_MINUTES = 30
    score_cells_refresh(now=timezone.now() - timedelta(minutes=31))
    assert sel.cells_as_of(Filters()) is None
    put_score(people["fr2"], scored["c"]["1.1"], 0.9, 8, scored["level"])
    assert _cells(sel.heatmap_rows(hr_eu.user, Filters(), [scored["c"]["1.1"]]))[("FR", "1.1")] == (85.0, 2)
    score_cells_refresh()
    assert sel.cells_as_of(Filters()) is not None
