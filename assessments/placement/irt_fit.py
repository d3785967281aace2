"""The one module that imports girth (item calibration), so the IRT library can be swapped.

``fit_2pl`` takes a sparse response table (person → item → score 0..1) and returns 2PL parameters by
marginal maximum likelihood (girth's ``twopl_mml``; abilities integrated over a standard normal, which
fixes the scale the adaptive engine uses). Partly right answers are counted right from half the points.
Unanswered cells are missing data, not wrong answers.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import numpy as np
from girth import INVALID_RESPONSE, twopl_mml

A_BOUNDS = (0.2, 4.0)
B_BOUNDS = (-4.0, 4.0)


def fit_2pl(
    table: Mapping[Hashable, Mapping[Hashable, float]], items: list[Hashable]
) -> dict[Hashable, tuple[float, float]]:
    """item → (a, b) for the given items (each must have varied responses; the caller checks)."""
    people = [p for p, row in table.items() if any(i in row for i in items)]
    index = {item: n for n, item in enumerate(items)}
    data = np.full((len(items), len(people)), INVALID_RESPONSE, dtype=int)
    for col, person in enumerate(people):
        for item, score in table[person].items():
            row = index.get(item)
            if row is not None:
                data[row, col] = 1 if float(score) >= 0.5 else 0
    result = twopl_mml(data)
    out: dict[Hashable, tuple[float, float]] = {}
    for item, a, b in zip(items, result["Discrimination"], result["Difficulty"], strict=True):
        a = float(a) if math.isfinite(a) else 1.0
        b = float(b) if math.isfinite(b) else 0.0
        out[item] = (min(max(a, A_BOUNDS[0]), A_BOUNDS[1]), min(max(b, B_BOUNDS[0]), B_BOUNDS[1]))
    return out
