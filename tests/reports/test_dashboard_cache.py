"""Roll-ups for a position's trend and a past year, and the dashboard cache keyed by the data version."""

import datetime

import pytest
from django.core.cache import cache

from reports.filters import Filters
from reports.selectors import competency as sel
from reports.services.rollups import score_cells_refresh, unit_months_refresh
from tests.reports.conftest import put_score
from tests.reports.test_rollups import _cells, _charts

DEC = datetime.date(2024, 12, 1)


@pytest.fixture
def december(people, vn):
    """The December 2024 snapshot: FR 1.1 = (0.3 + 0.7) / 2, DE 1.1 and 1.2, JP 1.1."""
    c, lv = vn["c"], vn["level"]
    put_score(people["fr1"], c["1.1"], 0.3, 3, lv, month=DEC)
    put_score(people["fr2"], c["1.1"], 0.7, 6, lv, month=DEC)
    put_score(people["de1"], c["1.1"], 0.4, 4, lv, month=DEC)
    put_score(people["de1"], c["1.2"], 0.1, 1, lv, month=DEC)
    put_score(people["jp1"], c["1.1"], 0.9, 8, lv, month=DEC)
    put_score(people["fr1"], c["1.1"], 0.5, 5, lv, month=datetime.date(2024, 11, 1))
    return vn


@pytest.mark.parametrize(
    "make_filters",
    [
        lambda org, vn: Filters(year=2024),
        lambda org, vn: Filters(year=2024, position="Chuyên viên"),
        lambda org, vn: Filters(year=2024, unit_id=org["FR"].pk),
        lambda org, vn: Filters(year=2024, area_id=vn["c"]["1.2"].area_id, position="Chuyên viên"),
    ],
)
def test_past_year_rollup_equals_the_december_snapshot_rows(
    org, hr_eu, admin_user, december, target_chuyen_vien, make_filters
):
    filters = make_filters(org, december)
    assert sel.cells_as_of(filters) is None  # not rolled up yet: the snapshot rows
    direct = {u: _charts(u, filters, december, rolled=False) for u in (hr_eu.user, admin_user)}
    unit_months_refresh(months=[DEC])  # a year-end: its cells are rolled up with it
    assert sel.cells_as_of(filters) is not None
    assert {u: _charts(u, filters, december, rolled=True) for u in direct} == direct
    assert _cells(sel.heatmap_rows(admin_user, Filters(year=2024), [december["c"]["1.1"]]))[("EU", "1.1")] == (
        round(100 * (0.3 + 0.7 + 0.4) / 3, 1),
        3,
    )


def test_trend_by_position_from_the_rollup_equals_the_snapshot_rows(hr_eu, admin_user, people, vn):
    c, lv = vn["c"], vn["level"]
    jan, feb = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
    put_score(people["fr1"], c["1.1"], 0.4, 4, lv, month=jan)  # Bí thư thứ nhất
    put_score(people["fr2"], c["1.1"], 0.7, 4, lv, month=jan)
    put_score(people["de1"], c["1.1"], 0.6, 5, lv, month=feb)
    today = datetime.date(2026, 3, 15)
    filters = Filters(position="Chuyên viên")
    raw = {u: sel.trend_rows(u, filters, [c["1.1"]], today=today) for u in (hr_eu.user, admin_user)}
    unit_months_refresh()
    rolled = {u: sel.trend_rows(u, filters, [c["1.1"]], today=today) for u in raw}
    assert raw == rolled
    assert {
        (r["month"], r["value"]) for r in rolled[admin_user] if r["series"] in ("All selected", "Tất cả đã chọn")
    } == {
        (jan, 70.0),
        (feb, 60.0),
    }


def _fr_heat(client, query=""):
    import json

    from django.utils import translation

    with translation.override("en"):
        response = client.get("/reports/" + query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    heat = next(s for s in response.context["sections"] if s["key"] == "heatmap")
    json.loads(heat["figure"])  # a real figure
    return {row[0:2]: row[2] for row in heat["rows"]}


def test_warm_dashboard_is_served_from_the_cache_until_the_data_change(
    client, hr_eu, people, scored, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    client.force_login(hr_eu.user)
    score_cells_refresh()
    with CaptureQueriesContext(connection) as cold:
        first = _fr_heat(client)
    with CaptureQueriesContext(connection) as warm:
        assert _fr_heat(client) == first
    assert len(warm.captured_queries) < len(cold.captured_queries) - 5  # the charts came from the cache
    key = next(k for k in first if "Pháp" in k[0] and k[1].startswith("1.1"))  # FR 1.1: (0.8 + 0.5) / 2
    put_score(people["fr2"], scored["c"]["1.1"], 0.9, 8, scored["level"])
    assert _fr_heat(client)[key] == first[key]  # the roll-up has not moved yet, nor has the cached page
    with django_capture_on_commit_callbacks(execute=True):
        score_cells_refresh()  # the refresh bumps the data version on commit
    assert (first[key], _fr_heat(client)[key]) == (65.0, 85.0)  # (0.8 + 0.9) / 2


def test_staff_import_and_recompute_bump_the_data_version(org, vn, django_capture_on_commit_callbacks):
    from assessments.services.scores import scores_recompute
    from lms.services.imports import staff_import
    from reports.services.freshness import dashboard_version

    before = dashboard_version()
    with django_capture_on_commit_callbacks(execute=True):
        staff_import(
            data=b"employee_number,full_name,email,unit_code,position,grade,language\nNV1,A B,a@x.vn,FR,,,vi\n"
        )
    after_import = dashboard_version()
    assert after_import != before
    with django_capture_on_commit_callbacks(execute=True):
        scores_recompute()
    assert dashboard_version() != after_import


def test_the_version_survives_eviction_without_repeating(db):
    from reports.services.freshness import VERSION_KEY, dashboard_version

    first = dashboard_version()
    cache.delete(VERSION_KEY)
    assert dashboard_version() != first
