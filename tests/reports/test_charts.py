import datetime
import re

import pytest

from reports import charts


def test_heatmap_places_values_by_unit_and_competency():
    fig = charts.heatmap(
        [
            {"unit": "FR", "competency": "C1", "value": 80.0},
            {"unit": "FR", "competency": "C2", "value": None},
            {"unit": "DE", "competency": "C1", "value": 40.0},
        ]
    )
    trace = fig.data[0]
    assert list(trace.y) == ["FR", "DE"] and list(trace.x) == ["C1", "C2"]
    assert [list(r) for r in trace.z] == [[80.0, None], [40.0, None]]


def test_distribution_stacks_levels_in_order_with_zero_for_missing():
    fig = charts.distribution(
        [{"competency": "C1", "level": "L1", "count": 2}, {"competency": "C1", "level": "L3", "count": 5}],
        levels=["L1", "L2", "L3"],
    )
    assert [t.name for t in fig.data] == ["L1", "L2", "L3"]
    assert [list(t.y) for t in fig.data] == [[2], [0], [5]]
    assert fig.layout.barmode == "stack"


def test_trend_one_line_per_series_sorted_by_month():
    fig = charts.trend(
        [
            {"month": datetime.date(2026, 2, 1), "series": "FR", "value": 60},
            {"month": datetime.date(2026, 1, 1), "series": "FR", "value": 50},
            {"month": datetime.date(2026, 1, 1), "series": "DE", "value": 30},
        ]
    )
    assert [t.name for t in fig.data] == ["FR", "DE"]
    assert list(fig.data[0].x) == ["2026-01-01", "2026-02-01"] and list(fig.data[0].y) == [50, 60]


def test_compliance_open_is_assigned_minus_the_rest():
    labels = {"on_time": "On time", "late": "Late", "overdue": "Overdue", "open": "Open"}
    fig = charts.compliance([{"label": "FR", "assigned": 10, "on_time": 5, "late": 2, "overdue": 1}], labels)
    assert {t.name: list(t.x) for t in fig.data} == {"On time": [5], "Late": [2], "Overdue": [1], "Open": [2]}


def test_levels_chart_has_target_trace_only_when_targets_exist():
    rows = [{"competency": "C1", "level": 2, "target": 3}, {"competency": "C2", "level": 1, "target": None}]
    assert len(charts.levels_chart(rows).data) == 2
    assert len(charts.levels_chart([{"competency": "C1", "level": 2, "target": None}]).data) == 1


def test_bar_svg_escapes_labels_and_scales_bars():
    svg = charts.bar_svg([("Nguyễn <b>", 50.0), ("Trần", 100.0)], max_value=100, width=420, title="Chỉ số")
    assert svg.startswith("<svg") and "Nguyễn &lt;b&gt;" in svg and "Chỉ số" in svg
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[1] == pytest.approx(2 * widths[0])  # bars to scale


def test_bar_svg_cuts_long_labels_before_escaping_so_no_entity_is_split():
    import xml.etree.ElementTree as ET

    label = "x" * 25 + "&&" + "x" * 40  # one word too long for two lines: shortened, then escaped
    svg = charts.bar_svg([(label, 10.0)], max_value=100, width=420)
    spans = [el.text for el in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}tspan")]  # noqa: S314 - our own output
    assert spans[0].startswith("x" * 25 + "&") and spans[0].endswith("…")
    assert "&amp;…" in svg


def test_bar_svg_wraps_long_labels_instead_of_cutting_them_and_formats_values():
    from reports.charts import bar_svg

    name = "Permanent Mission of Viet Nam to the United Nations"
    svg = bar_svg([(name, 30.25), ("Pháp", 8.0)], max_value=40, value_label=lambda v: f"{v:g}".replace(".", ","))
    words = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert " ".join(words[:-1]) == name and words[-1] == "Pháp"
    assert ">30,25<" in svg and ">8<" in svg and ">8.0<" not in svg
