"""Pure chart builders: rows in, Plotly figure dicts out."""

from datetime import date

from assessments.charts import levels_chart, trend


def test_levels_are_bars_per_competency_with_codes_as_categories():
    fig = levels_chart(
        labels=["1.1", "1.2", "2.1"],
        current=[3, None, 5],
        target=[4, 4, None],
        max_rank=8,
        current_name="Current",
        target_name="Target",
        level_names=[f"L{i}" for i in range(1, 9)],
    )
    current, target = fig["data"]
    assert {current["type"], target["type"]} == {"bar"}  # drawn by the cartesian plotly.js bundle
    assert current["y"] == ["1.1", "1.2", "2.1"] and current["x"] == [3, 0, 5]
    assert target["x"] == [4, 4, 0]
    assert fig["layout"]["yaxis"]["type"] == "category"
    assert fig["layout"]["xaxis"]["range"] == [0, 8] and fig["layout"]["xaxis"]["ticktext"][0] == "L1"


def test_levels_without_a_target_have_one_trace():
    fig = levels_chart(
        labels=["1.1"], current=[2], target=[None], max_rank=8, current_name="C", target_name="T", level_names=[]
    )
    assert len(fig["data"]) == 1


def test_trend_averages_competencies_per_area_and_month():
    rows = [
        {"month": date(2026, 1, 1), "competency_id": 1, "mean_score": 0.4},
        {"month": date(2026, 1, 1), "competency_id": 2, "mean_score": 0.6},
        {"month": date(2026, 2, 1), "competency_id": 1, "mean_score": 0.7},
        {"month": date(2026, 2, 1), "competency_id": 9, "mean_score": 0.1},  # not on this framework: ignored
    ]
    fig = trend(rows, area_of={1: "1. Data", 2: "1. Data"}, title="t")
    (line,) = fig["data"]
    assert line["name"] == "1. Data"
    assert line["x"] == ["2026-01-01", "2026-02-01"]
    assert line["y"] == [0.5, 0.7]
