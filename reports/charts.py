"""Rows to charts. Pure: plain rows in, a Plotly figure (or an SVG string for PDFs) out; no ORM, no request.

Row shapes (all plain dicts):
- heatmap:      {"unit": str, "competency": str, "value": float | None}
- distribution: {"competency": str, "level": str, "count": int}  (+ ``levels`` order)
- trend:        {"month": date, "series": str, "value": float}
- compliance:   {"label": str, "assigned": int, "on_time": int, "late": int, "overdue": int}
- gaps:         {"competency": str, "gap": float, "people": int}
- radar:        {"competency": str, "level": float, "target": float | None}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any

import plotly.graph_objects as go

FONT = "DejaVu Sans, Segoe UI, Arial, sans-serif"
PALETTE = ["#0b5394", "#1e6b30", "#b45f06", "#a4161a", "#674ea7", "#45818e", "#7f6000", "#4a5560"]
COMPLIANCE_COLOURS = {"on_time": "#1e6b30", "late": "#b45f06", "overdue": "#a4161a", "open": "#9aa5b1"}


def _layout(fig: go.Figure, title: str, **extra) -> go.Figure:
    fig.update_layout(
        title={"text": title},
        font={"family": FONT, "size": 13},
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        **extra,
    )
    return fig


def _ordered(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        seen.setdefault(v, None)
    return list(seen)


def heatmap(rows: Sequence[dict], title: str = "", value_label: str = "") -> go.Figure:
    units = _ordered(r["unit"] for r in rows)
    competencies = _ordered(r["competency"] for r in rows)
    cell = {(r["unit"], r["competency"]): r["value"] for r in rows}
    z = [[cell.get((u, c)) for c in competencies] for u in units]
    text = [["" if v is None else f"{v:.0f}" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=competencies,
            y=units,
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=100,
            colorbar={"title": {"text": value_label}},
            hovertemplate="%{y}<br>%{x}: %{z:.1f}<extra></extra>",
        )
    )
    return _layout(fig, title, yaxis={"autorange": "reversed"})


def distribution(rows: Sequence[dict], levels: Sequence[str], title: str = "") -> go.Figure:
    competencies = _ordered(r["competency"] for r in rows)
    counts = {(r["competency"], r["level"]): r["count"] for r in rows}
    fig = go.Figure()
    for i, level in enumerate(levels):
        fig.add_trace(
            go.Bar(
                name=level,
                x=competencies,
                y=[counts.get((c, level), 0) for c in competencies],
                marker_color=PALETTE[i % len(PALETTE)],
            )
        )
    return _layout(fig, title, barmode="stack", legend={"orientation": "h"})


def trend(
    rows: Sequence[dict], title: str = "", value_label: str = "", month_label: Callable[[Any], str] = str
) -> go.Figure:
    """Lines per series over months; ``month_label`` names a month in the reader's language ("03/2026",
    "Mar 2026"): the axis is a list of those names in calendar order, never plotly's English month names."""
    fig = go.Figure()
    months = sorted({r["month"] for r in rows})
    for i, series in enumerate(_ordered(r["series"] for r in rows)):
        points = sorted((r for r in rows if r["series"] == series), key=lambda r: r["month"])
        fig.add_trace(
            go.Scatter(
                name=series,
                x=[month_label(p["month"]) for p in points],
                y=[p["value"] for p in points],
                mode="lines+markers",
                line={"color": PALETTE[i % len(PALETTE)]},
            )
        )
    return _layout(
        fig,
        title,
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": [month_label(m) for m in months]},
        yaxis={"title": {"text": value_label}, "range": [0, 100]},
        legend={"orientation": "h"},
    )


def compliance(rows: Sequence[dict], labels: dict[str, str], title: str = "") -> go.Figure:
    """Stacked horizontal bars: on time / late / overdue / still open (= assigned minus the rest)."""
    names = [r["label"] for r in rows]
    fig = go.Figure()
    for key in ("on_time", "late", "overdue", "open"):
        if key == "open":
            values = [max(0, r["assigned"] - r["on_time"] - r["late"] - r["overdue"]) for r in rows]
        else:
            values = [r[key] for r in rows]
        fig.add_trace(
            go.Bar(name=labels[key], y=names, x=values, orientation="h", marker_color=COMPLIANCE_COLOURS[key])
        )
    return _layout(fig, title, barmode="stack", yaxis={"autorange": "reversed"}, legend={"orientation": "h"})


def gaps(rows: Sequence[dict], title: str = "", value_label: str = "") -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=[r["gap"] for r in rows],
            y=[r["competency"] for r in rows],
            orientation="h",
            marker_color=PALETTE[3],
            text=[str(r["people"]) for r in rows],
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    )
    return _layout(fig, title, xaxis={"title": {"text": value_label}}, yaxis={"autorange": "reversed"})


def levels_chart(rows: Sequence[dict], labels: tuple[str, str] = ("Level", "Target"), title: str = "") -> go.Figure:
    """Level reached against the target per competency, as grouped horizontal bars (readable on a phone)."""
    names = [r["competency"] for r in rows]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(y=names, x=[r["level"] for r in rows], orientation="h", name=labels[0], marker_color=PALETTE[0])
    )
    if any(r.get("target") is not None for r in rows):
        fig.add_trace(
            go.Bar(
                y=names, x=[r.get("target") or 0 for r in rows], orientation="h", name=labels[1], marker_color="#d0a3a5"
            )
        )
    return _layout(
        fig,
        title,
        barmode="group",
        yaxis={"type": "category", "autorange": "reversed", "automargin": True},
        legend={"orientation": "h"},
        height=max(260, 22 * len(rows) * len(fig.data) + 100),
    )


def _wrap(label: str, chars: int, lines: int = 2) -> list[str]:
    """``label`` on at most ``lines`` lines of about ``chars`` characters, broken between words; only a
    label longer than that is shortened, with an ellipsis (never cut mid-name as before)."""
    words, out, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > chars:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[: lines - 1] + [" ".join(out[lines - 1 :])]
    if len(out[-1]) > chars:
        out[-1] = out[-1][: chars - 1].rstrip() + "…"
    return out


def bar_svg(
    rows: Sequence[tuple[str, float]],
    max_value: float = 100.0,
    width: int = 640,
    title: str = "",
    value_label: Callable[[float], str] = lambda v: f"{v:g}",
) -> str:
    """A plain horizontal bar chart as SVG for PDFs (WeasyPrint draws SVG; no browser needed).

    Labels get up to 45 % of the width and wrap onto two lines; ``value_label`` writes each value in the
    reader's format (a head count as "8", an index as "31,6" in Vietnamese)."""
    char_w = 6.4  # DejaVu Sans at 11 px, on average
    longest = max((len(str(label)) for label, _v in rows), default=0)
    label_w = int(min(width * 0.45, longest * char_w + 10))
    chars = max(8, int((label_w - 10) / char_w))
    wrapped = [_wrap(str(label), chars) for label, _v in rows]
    bar_h, gap = 18, 8
    row_h = [max(bar_h, 13 * len(lines) + 4) + gap for lines in wrapped]
    top = 28 if title else 6
    height = top + sum(row_h) + 6
    scale = (width - label_w - 60) / max_value if max_value > 0 else 0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="DejaVu Sans" font-size="11" role="img">'
    ]
    if title:
        parts.append(f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>')
    y = top
    for (_label, value), lines, h in zip(rows, wrapped, row_h, strict=True):
        w = max(0.0, min(value, max_value)) * scale
        block = h - gap
        first = y + (block - 13 * len(lines)) / 2 + 10
        spans = "".join(
            f'<tspan x="{label_w - 6}" y="{first + 13 * k:.1f}">{escape(text)}</tspan>' for k, text in enumerate(lines)
        )
        parts.append(f'<text text-anchor="end">{spans}</text>')
        bar_y = y + (block - bar_h) / 2
        parts.append(f'<rect x="{label_w}" y="{bar_y:.1f}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[0]}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{bar_y + 13:.1f}">{escape(value_label(value))}</text>')
        y += h
    parts.append("</svg>")
    return "".join(parts)
