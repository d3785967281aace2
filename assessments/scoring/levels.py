"""Evidence → the level a person has demonstrated. Pure: no ORM, no clock (``now`` is passed in).

The rule, in words (the README repeats it for HR):

* Every piece of evidence says the highest level it can support, its ``cap``: the top level of the band
  its source assessed (a basic quiz supports at most Cơ bản 2), or the level a trainer observed.
* A person reaches level L when the evidence that can support L (cap at L or above) meets the mastery
  threshold: its time-weighted mean score is at least ``mastery_threshold`` (default 70 %), it counts at
  least ``min_evidence`` pieces, and its confidence is at least ``min_confidence``.
* The level is the highest L reached; None when none is ("no level demonstrated").

Time weighting and confidence are those of ``competency.py``: a piece's weight halves every
``half_life_days``, self-reported evidence counts ``self_reported_factor`` as much, and confidence is
W / (W + ``confidence_weight``) for W the decayed weights summed as of ``now``.

What follows from it (and what ``tests/assessments/test_levels.py`` checks on random evidence):
more or better evidence (a further piece scoring at least the threshold, a higher score) never lowers
the level; the same evidence seen later never raises it; evidence at the basic band alone never gives
more than the basic band's top level; the result does not depend on the order of the evidence, so an
incremental update and a full recompute agree.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

SECONDS_PER_DAY = 86400.0
EPSILON = 1e-9


@dataclass(frozen=True)
class LevelStep:
    """One level of a framework's scale: ``rank`` orders the scale (1 = lowest)."""

    key: Hashable
    rank: int


@dataclass(frozen=True)
class RatedEvidence:
    score: float  # 0..1
    weight: float  # (0, 1]
    recorded_at: datetime
    cap: int  # the highest rank this evidence can support
    self_reported: bool = False


@dataclass(frozen=True)
class LevelPolicy:
    mastery_threshold: float = 0.7
    min_confidence: float = 0.2
    min_evidence: int = 2
    half_life_days: float = 365.0
    self_reported_factor: float = 0.5
    confidence_weight: float = 2.0

    def __post_init__(self):
        if not 0 < self.mastery_threshold <= 1:
            raise ValueError("mastery_threshold must be in (0, 1]")
        if not 0 <= self.min_confidence < 1:
            raise ValueError("min_confidence must be in [0, 1)")
        if self.min_evidence < 1:
            raise ValueError("min_evidence must be at least 1")
        if not self.half_life_days > 0:
            raise ValueError("half_life_days must be positive")
        if not 0 < self.self_reported_factor <= 1:
            raise ValueError("self_reported_factor must be in (0, 1]")
        if not self.confidence_weight > 0:
            raise ValueError("confidence_weight must be positive")


@dataclass(frozen=True)
class LevelCheck:
    """How the evidence that can support one level stands against the mastery threshold."""

    key: Hashable
    rank: int
    evidence_count: int
    mean: float | None
    confidence: float
    reached: bool


def _weight(point: RatedEvidence, now: datetime, policy: LevelPolicy) -> float:
    age_days = max((now - point.recorded_at).total_seconds() / SECONDS_PER_DAY, 0.0)
    factor = policy.self_reported_factor if point.self_reported else 1.0
    return point.weight * factor * 0.5 ** (age_days / policy.half_life_days)


def level_checks(
    points: Iterable[RatedEvidence], *, levels: Sequence[LevelStep], now: datetime, policy: LevelPolicy
) -> list[LevelCheck]:
    """The check of every level, lowest first (what a page explaining a level shows)."""
    # Per cap: exactly rounded sums (fsum), then added up from the top cap down in a fixed order, so the
    # result does not depend on the order rows arrive in and costs one pass over the evidence.
    groups: dict[int, tuple[list[float], list[float]]] = {}
    for p in points:
        w = _weight(p, now, policy)
        weights, products = groups.setdefault(p.cap, ([], []))
        weights.append(w)
        products.append(w * p.score)
    sums = sorted(((cap, math.fsum(ws), math.fsum(ps), len(ws)) for cap, (ws, ps) in groups.items()), reverse=True)
    checks = []
    total = weighted = 0.0
    count = 0
    i = 0
    for step in sorted(levels, key=lambda s: s.rank, reverse=True):
        while i < len(sums) and sums[i][0] >= step.rank:
            total += sums[i][1]
            weighted += sums[i][2]
            count += sums[i][3]
            i += 1
        mean = min(1.0, weighted / total) if total > 0 else None
        confidence = total / (total + policy.confidence_weight)
        reached = (
            mean is not None
            and count >= policy.min_evidence
            and mean + EPSILON >= policy.mastery_threshold
            and confidence + EPSILON >= policy.min_confidence
        )
        checks.append(LevelCheck(step.key, step.rank, count, mean, confidence, reached))
    return checks[::-1]


def demonstrated_level(
    points: Iterable[RatedEvidence], *, levels: Sequence[LevelStep], now: datetime, policy: LevelPolicy | None = None
) -> Hashable | None:
    """The highest level the evidence demonstrates as of ``now`` (None: none)."""
    policy = policy or LevelPolicy()
    reached = [c for c in level_checks(points, levels=levels, now=now, policy=policy) if c.reached]
    return reached[-1].key if reached else None


def band_caps(levels: Iterable[tuple[int, str]]) -> dict[str, int]:
    """``{band: its top rank}`` from a scale's ``(rank, band)`` pairs."""
    caps: dict[str, int] = {}
    for rank, band in levels:
        caps[band] = max(rank, caps.get(band, rank))
    return caps


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day when it is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    days_in_month = [31, 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28, 31, 30, 31, 30]
    days_in_month += [31, 31, 30, 31, 30, 31]
    return moment.replace(year=year, month=month, day=min(moment.day, days_in_month[month - 1]))


def is_current(demonstrated_at: datetime | None, *, now: datetime, validity_months: int) -> bool:
    """Recency: a level is current while its newest supporting evidence is at most ``validity_months`` old;
    after that it is "reassessment due" and does not count in reports or the index."""
    return demonstrated_at is not None and demonstrated_at >= months_before(now, validity_months)
