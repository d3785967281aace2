"""Plain rows → Plotly figure dicts (no ORM, no request). Rendered by the locally served plotly.js."""

from __future__ import annotations

from collections import defaultdict


def levels_chart(
    *,
    labels: list[str],
    current: list[float | None],
    target: list[float | None],
    max_rank: int,
    current_name: str,
    target_name: str,
    level_names: list[str],
) -> dict:
    """Current level rank against the target rank per competency (0 = no level yet), as horizontal bars:
    one row per competency, readable on a phone, drawn by the small (cartesian) plotly.js bundle."""
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": [v or 0 for v in current],
            "name": current_name,
            "marker": {"color": "#0b5394"},
        }
    ]
    if any(t is not None for t in target):
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": [t or 0 for t in target],
                "name": target_name,
                "marker": {"color": "#d0a3a5", "line": {"color": "#a4161a", "width": 1}},
            }
        )
    return {
        "data": traces,
        "layout": {
            "barmode": "group",
            # Codes such as "1.1" would otherwise be read as numbers.
            "yaxis": {"type": "category", "autorange": "reversed", "automargin": True},
            "xaxis": {
                "range": [0, max_rank],
                "tickvals": list(range(1, max_rank + 1)),
                "ticktext": level_names,
                "automargin": True,
            },
            "margin": {"l": 40, "r": 10, "t": 30, "b": 30},
            "legend": {"orientation": "h", "y": -0.08},
            "height": max(260, 22 * len(labels) * (2 if len(traces) > 1 else 1) + 90),
        },
    }


def trend(rows: list[dict], *, area_of: dict[int, str], title: str, month_label=str) -> dict:
    """Monthly mean score per area from rows ``{"month", "competency_id", "mean_score"}``.

    ``month_label`` names a month in the reader's language; the axis lists those names in calendar order
    (plotly's own date axis would print English month names on a Vietnamese page)."""
    sums: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        area = area_of.get(row["competency_id"])
        if area is not None:
            sums[area][row["month"]].append(row["mean_score"])
    traces = []
    for area in sorted(sums):
        months = sorted(sums[area])
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": area,
                "x": [month_label(m) for m in months],
                "y": [round(sum(v) / len(v), 4) for v in (sums[area][m] for m in months)],
            }
        )
    return {
        "data": traces,
        "layout": {
            "title": {"text": title},
            "xaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": [month_label(m) for m in sorted({row["month"] for row in rows})],
            },
            "yaxis": {"range": [0, 1], "tickformat": ".0%"},
            "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
            "height": 360,
        },
    }
