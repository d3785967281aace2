"""Plain rows → Plotly figure dicts (no ORM, no request). Rendered by the locally served plotly.js."""

from __future__ import annotations

from collections import defaultdict


def radar(
    *,
    labels: list[str],
    current: list[float | None],
    target: list[float | None],
    max_rank: int,
    current_name: str,
    target_name: str,
    level_names: list[str],
) -> dict:
    """Current level rank against the target rank per competency (0 = no level yet)."""
    closed = labels + labels[:1]

    def close(values):
        values = [v or 0 for v in values]
        return values + values[:1]

    traces = [
        {
            "type": "scatterpolar",
            "r": close(current),
            "theta": closed,
            "fill": "toself",
            "name": current_name,
            "line": {"color": "#0b5394"},
        }
    ]
    if any(t is not None for t in target):
        traces.append(
            {
                "type": "scatterpolar",
                "r": close(target),
                "theta": closed,
                "name": target_name,
                "line": {"color": "#a4161a", "dash": "dash"},
            }
        )
    return {
        "data": traces,
        "layout": {
            "polar": {
                # Codes such as "1.1" would otherwise be read as angles in degrees.
                "angularaxis": {"type": "category", "direction": "clockwise", "rotation": 90},
                "radialaxis": {
                    "range": [0, max_rank],
                    "tickvals": list(range(1, max_rank + 1)),
                    "ticktext": level_names,
                },
            },
            "margin": {"l": 40, "r": 40, "t": 30, "b": 30},
            "legend": {"orientation": "h"},
            "height": 460,
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
