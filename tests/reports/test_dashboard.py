import csv
import datetime
import io

from reports.filters import Filters
from reports.selectors import competency as sel
from tests.reports.conftest import put_score


def _cells(rows):
    return {(r["unit_code"], r["competency"]): (r["value"], r["people"]) for r in rows}


def test_heatmap_matches_hand_computed_means(hr_eu, scored):
    comps = [scored["c"]["1.1"], scored["c"]["1.2"]]
    rows = sel.heatmap_rows(hr_eu.user, Filters(), comps)
    assert _cells(rows) == {
        ("DE", "1.1"): (60.0, 1),
        ("DE", "1.2"): (20.0, 1),
        ("FR", "1.1"): (65.0, 2),
        ("FR", "1.2"): (None, 0),
    }


def test_heatmap_for_admin_groups_by_top_departments(admin_user, scored):
    rows = sel.heatmap_rows(admin_user, Filters(), [scored["c"]["1.1"]])
    cells = _cells(rows)
    # EU holds FR and DE: (0.8 + 0.5 + 0.6) / 3; AP holds JP
    assert (
        cells[("EU", "1.1")] == (63.3, 3) and cells[("AP", "1.1")] == (100.0, 1) and cells[("VP", "1.1")] == (None, 0)
    )


def test_distribution_counts_people_per_level(hr_eu, scored):
    rows = sel.distribution_rows(hr_eu.user, Filters(), [scored["c"]["1.1"]], list(scored["level"].values()))
    counts = {r["level"]: r["count"] for r in rows if r["count"]}
    assert counts == {"NC1": 2, "CS1": 1}


def test_trend_is_monthly_mean_over_snapshots(hr_eu, people, vn):
    c, lv = vn["c"], vn["level"]
    jan, feb = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
    put_score(people["fr1"], c["1.1"], 0.4, 4, lv, month=jan)
    put_score(people["de1"], c["1.1"], 0.6, 5, lv, month=jan)
    put_score(people["fr1"], c["1.1"], 0.9, 8, lv, month=feb)
    put_score(people["jp1"], c["1.1"], 0.1, 1, lv, month=feb)  # outside EU: ignored
    put_score(people["fr1"], c["1.1"], 0.9, 8, lv, month=datetime.date(2023, 1, 1))  # older than 24 months
    rows = sel.trend_rows(hr_eu.user, Filters(), [c["1.1"]], today=datetime.date(2026, 3, 15))
    overall = [(r["month"], r["value"]) for r in rows if r["series"] in ("All selected", "Tất cả đã chọn")]
    assert overall == [(jan, 50.0), (feb, 90.0)]
    per_unit = {
        (r["series"], r["month"]): r["value"] for r in rows if r["series"] not in ("All selected", "Tất cả đã chọn")
    }
    assert per_unit[(people["fr1"].unit.name, jan)] == 40.0 and per_unit[(people["de1"].unit.name, jan)] == 60.0


def test_gaps_against_target_profiles(hr_eu, scored, target_chuyen_vien):
    comps = [scored["c"]["1.1"], scored["c"]["1.2"]]
    rows = sel.gap_rows(hr_eu.user, Filters(), comps, scored["framework"])
    # Chuyên viên in EU: fr2 (1.1 rank 5, 1.2 none) and de1 (1.1 rank 5, 1.2 rank 2)
    assert [(r["competency"], r["people"], r["gap"], r["shortfall"]) for r in rows] == [
        ("1.2", 2, 2.0, 4),
        ("1.1", 2, 1.0, 2),
    ]


def test_dashboard_page_is_scoped_and_renders_charts_with_tables(client, hr_eu, scored, target_chuyen_vien):
    client.force_login(hr_eu.user)
    response = client.get("/reports/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đại sứ quán tại Pháp" in body and "Đại sứ quán tại Nhật Bản" not in body
    assert 'id="chart-heatmap"' in body and "/static/plotly/plotly-cartesian.min.js" in body
    assert "cdn" not in body.lower()
    assert body.count("<details") >= 6


def test_dashboard_invalid_filters_are_a_clear_400(client, hr_eu, scored):
    client.force_login(hr_eu.user)
    response = client.get("/reports/?year=20x6&framework=999999")
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("<li>") >= 2


def test_chart_data_download_is_the_table(client, hr_eu, scored):
    client.force_login(hr_eu.user)
    response = client.get(
        f"/reports/export/heatmap.csv?framework={scored['framework'].pk}&area={scored['c']['1.1'].area_id}"
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    fr_row = next(r for r in rows[1:] if r[0] == "Đại sứ quán tại Pháp" and r[1].startswith("1.1 "))
    assert fr_row[2:] == ["65", "2"]  # a whole mean prints whole, as on the page


def test_past_year_uses_the_december_snapshot(hr_eu, people, vn):
    c, lv = vn["c"], vn["level"]
    put_score(people["fr1"], c["1.1"], 0.9, 8, lv)  # current
    put_score(people["fr1"], c["1.1"], 0.3, 3, lv, month=datetime.date(2024, 12, 1))
    put_score(people["fr1"], c["1.1"], 0.5, 5, lv, month=datetime.date(2024, 11, 1))
    now = _cells(sel.heatmap_rows(hr_eu.user, Filters(), [c["1.1"]]))
    then = _cells(sel.heatmap_rows(hr_eu.user, Filters(year=2024), [c["1.1"]]))
    assert now[("FR", "1.1")] == (90.0, 1) and then[("FR", "1.1")] == (30.0, 1)


def test_trend_from_the_rollup_equals_the_raw_aggregation(hr_eu, admin_user, people, vn):
    from reports.models import UnitCompetencyMonth
    from reports.services.rollups import unit_months_refresh

    c, lv = vn["c"], vn["level"]
    jan, feb = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
    put_score(people["fr1"], c["1.1"], 0.4, 4, lv, month=jan)
    put_score(people["fr2"], c["1.1"], 0.7, 4, lv, month=jan)
    put_score(people["de1"], c["1.1"], 0.6, 5, lv, month=jan)
    put_score(people["fr1"], c["1.1"], 0.9, 8, lv, month=feb)
    put_score(people["jp1"], c["1.1"], 0.1, 1, lv, month=feb)
    today = datetime.date(2026, 3, 15)
    raw = {u: sel.trend_rows(u, Filters(), [c["1.1"]], today=today) for u in (hr_eu.user, admin_user)}
    assert unit_months_refresh(months=[jan]) == 3  # January: FR (two people, two positions) and DE
    fr = UnitCompetencyMonth.objects.filter(month=jan, unit=people["fr1"].unit)
    assert sorted(fr.values_list("position", "people")) == [("Bí thư thứ nhất", 1), ("Chuyên viên", 1)]
    half = {u: sel.trend_rows(u, Filters(), [c["1.1"]], today=today) for u in raw}
    unit_months_refresh()
    rolled = {u: sel.trend_rows(u, Filters(), [c["1.1"]], today=today) for u in raw}
    assert raw == half == rolled
    assert {
        (r["month"], r["value"]) for r in rolled[admin_user] if r["series"] in ("All selected", "Tất cả đã chọn")
    } == {
        (jan, round(100 * (0.4 + 0.7 + 0.6) / 3, 1)),
        (feb, 50.0),
    }
