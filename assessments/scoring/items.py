"""Item statistics for a quiz (classical test theory). Pure: plain numbers in, plain numbers out.

Input: one row per graded attempt, mapping item id -> score as a fraction of the item's maximum (0..1).
An item missing from a row was not drawn in that attempt (random draws) and is left out of its sums.

- **facility** of an item: the mean fraction scored by the attempts that saw it (share correct for 0/1 items).
- **discrimination**: the corrected item–rest correlation, i.e. the Pearson correlation between the item's
  score and the attempt's total on the *other* items it saw (the item is removed from the total so it does
  not correlate with itself). ``None`` when either side has no variance or fewer than 3 attempts saw it.
- **Cronbach's alpha** over the items every attempt saw (with random draws: the fixed questions):
  ``k/(k-1) * (1 - Σ var(item) / var(total))`` with population variances; for 0/1 items this is exactly
  KR-20. ``None`` below 2 such items or 2 attempts, or when the totals have no variance.
- **flags**: facility above 0.9 ("too easy") or below 0.2 ("too hard"), discrimination below 0.2.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

EASY_ABOVE = 0.9
HARD_BELOW = 0.2
DISCRIMINATION_BELOW = 0.2

TOO_EASY = "too_easy"
TOO_HARD = "too_hard"
LOW_DISCRIMINATION = "low_discrimination"


@dataclass(frozen=True)
class ItemStats:
    item: object
    responses: int
    facility: float | None
    discrimination: float | None
    flags: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class QuizStats:
    attempts: int
    items: list[ItemStats]
    alpha: float | None  # Cronbach's alpha (= KR-20 when every item is scored 0/1)
    alpha_items: int  # the items alpha is computed over (those every attempt saw)
    dichotomous: bool


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs)


def _pvariance(xs: Sequence[float]) -> float:
    m = _mean(xs)
    return sum((x - m) ** 2 for x in xs) / len(xs)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Rows are attempts, columns items, no gaps."""
    if len(rows) < 2:
        return None
    k = len(rows[0])
    if k < 2:
        return None
    item_variances = sum(_pvariance([row[j] for row in rows]) for j in range(k))
    total_variance = _pvariance([sum(row) for row in rows])
    if total_variance <= 1e-12:
        return None
    return k / (k - 1) * (1 - item_variances / total_variance)


def flags_for(facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    flags = []
    if facility is not None and facility > EASY_ABOVE:
        flags.append(TOO_EASY)
    if facility is not None and facility < HARD_BELOW:
        flags.append(TOO_HARD)
    if discrimination is not None and discrimination < DISCRIMINATION_BELOW:
        flags.append(LOW_DISCRIMINATION)
    return tuple(flags)


def item_statistics(rows: Sequence[Mapping[object, float]], items: Sequence[object] | None = None) -> QuizStats:
    if items is None:
        seen: dict[object, None] = {}
        for row in rows:
            for item in row:
                seen.setdefault(item, None)
        items = list(seen)
    stats = []
    for item in items:
        xs, rest = [], []
        for row in rows:
            if item in row:
                xs.append(float(row[item]))
                rest.append(sum(float(v) for k, v in row.items() if k != item))
        facility = round(_mean(xs), 4) if xs else None
        r = pearson(xs, rest) if len(xs) >= 3 else None
        discrimination = round(r, 4) if r is not None else None
        stats.append(
            ItemStats(
                item=item,
                responses=len(xs),
                facility=facility,
                discrimination=discrimination,
                flags=flags_for(facility, discrimination),
            )
        )
    common = [i for i in items if rows and all(i in row for row in rows)]
    alpha = cronbach_alpha([[float(row[i]) for i in common] for row in rows]) if len(common) >= 2 else None
    dichotomous = all(float(v) in (0.0, 1.0) for row in rows for v in row.values())
    return QuizStats(
        attempts=len(rows),
        items=stats,
        alpha=round(alpha, 4) if alpha is not None else None,
        alpha_items=len(common),
        dichotomous=dichotomous,
    )
