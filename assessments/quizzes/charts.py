"""Item analysis as a Plotly figure (pure: statistics in, figure out)."""

from __future__ import annotations

import plotly.graph_objects as go

from assessments.scoring import items


def item_analysis_figure(stats: items.QuizStats, titles: dict, *, labels: dict[str, str]) -> go.Figure:
    """Facility (x) against discrimination (y), one marker per question; flagged questions in red."""
    rows = [s for s in stats.items if s.facility is not None]
    colours = ["#a4161a" if s.flags else "#0b5394" for s in rows]
    figure = go.Figure(
        go.Scatter(
            x=[s.facility for s in rows],
            y=[s.discrimination if s.discrimination is not None else 0 for s in rows],
            mode="markers+text",
            text=[str(i + 1) for i in range(len(rows))],
            textposition="top center",
            hovertext=[f"{titles.get(s.item, s.item)} (n={s.responses})" for s in rows],
            marker={"size": 12, "color": colours, "symbol": ["x" if s.flags else "circle" for s in rows]},
        )
    )
    figure.add_vrect(x0=0, x1=items.HARD_BELOW, fillcolor="#a4161a", opacity=0.08, line_width=0)
    figure.add_vrect(x0=items.EASY_ABOVE, x1=1, fillcolor="#a4161a", opacity=0.08, line_width=0)
    figure.add_hline(y=items.DISCRIMINATION_BELOW, line_dash="dash", line_color="#a4161a")
    figure.update_layout(
        xaxis={"title": labels["x"], "range": [-0.02, 1.02]},
        yaxis={"title": labels["y"], "range": [-1.05, 1.05]},
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        height=420,
        showlegend=False,
    )
    return figure
