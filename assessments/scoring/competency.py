"""Evidence → competency score, level and confidence. Pure: no ORM, no clock (``now`` is passed in).

The rule, in words (the README repeats it for HR):

* Each piece of evidence has a score between 0 and 1 and a weight in (0, 1] (how much the
  question or activity says about this competency).
* Older evidence counts less: its weight halves every ``half_life_days``.
* Self-reported evidence (activities the server cannot check) counts ``self_reported_factor``
  as much as server-graded evidence.
* The score is the weighted mean of the evidence scores with those weights. Because every
  weight decays at the same rate, the mean does not drift with the calendar: it changes only
  when evidence is added or superseded.
* The level is the highest level the evidence *demonstrates* (``levels.py``): the evidence that can
  support it (by its band) meets the mastery threshold with enough pieces and enough confidence. The
  0–100 score is for charts; it does not by itself give a level.
* Confidence = W / (W + ``confidence_weight``), where W is the sum of the decayed weights: it grows
  with more and fresher evidence, approaches 1, and fades as the evidence ages.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from .levels import LevelPolicy, LevelStep, RatedEvidence, level_checks, months_before

SECONDS_PER_DAY = 86400.0
# Scores and thresholds are compared with this slack so 0.125 stored as 0.12499999999 still reaches the level.
LEVEL_EPSILON = 1e-9


@dataclass(frozen=True)
class EvidencePoint:
    score: float
    weight: float
    recorded_at: datetime
    self_reported: bool = False
    cap: int | None = None  # the highest rank this evidence can support (its band's top); None: no limit


@dataclass(frozen=True)
class ScoringPolicy:
    half_life_days: float = 365.0
    self_reported_factor: float = 0.5
    min_evidence: int = 2
    confidence_weight: float = 2.0
    mastery_threshold: float = 0.7
    min_confidence: float = 0.2

    def level_policy(self) -> LevelPolicy:
        return LevelPolicy(
            mastery_threshold=self.mastery_threshold,
            min_confidence=self.min_confidence,
            min_evidence=self.min_evidence,
            half_life_days=self.half_life_days,
            self_reported_factor=self.self_reported_factor,
            confidence_weight=self.confidence_weight,
        )

    def __post_init__(self):
        if not self.half_life_days > 0:
            raise ValueError("half_life_days must be positive")
        if not 0 < self.self_reported_factor <= 1:
            raise ValueError("self_reported_factor must be in (0, 1]")
        if self.min_evidence < 1:
            raise ValueError("min_evidence must be at least 1")
        if not self.confidence_weight > 0:
            raise ValueError("confidence_weight must be positive")
        self.level_policy()  # checks the level rule's parameters


@dataclass(frozen=True)
class Level:
    key: Hashable
    min_score: float
    rank: int = 0  # 1 = lowest; 0: ranked by ``min_score``


def level_steps(levels: Sequence[Level]) -> list[LevelStep]:
    """The scale as the level rule sees it: ranks as given, else in ``min_score`` order."""
    if levels and all(level.rank for level in levels):
        return [LevelStep(level.key, level.rank) for level in levels]
    ordered = sorted(levels, key=lambda level: level.min_score)
    return [LevelStep(level.key, i) for i, level in enumerate(ordered, start=1)]


@dataclass(frozen=True)
class CompetencyResult:
    score: float | None
    level: Hashable | None
    evidence_count: int
    effective_weight: float
    confidence: float
    last_evidence_at: datetime | None
    # The newest evidence supporting the highest level reached (current or due); None when none is reached.
    level_evidence_at: datetime | None = None
    # The highest level reached when its supporting evidence is older than the validity: reassessment due.
    # ``level`` is then the highest level that is still current (or None).
    due_level: Hashable | None = None

    @property
    def enough_evidence(self) -> bool:
        return self.level is not None


def decay_factor(age_days: float, half_life_days: float) -> float:
    """Weight multiplier for evidence ``age_days`` old (future evidence counts as new)."""
    return 0.5 ** (max(age_days, 0.0) / half_life_days)


def point_weight(point: EvidencePoint, *, now: datetime, policy: ScoringPolicy) -> float:
    """How much one piece of evidence counts today: weight × self-report factor × decay."""
    age_days = (now - point.recorded_at).total_seconds() / SECONDS_PER_DAY
    factor = policy.self_reported_factor if point.self_reported else 1.0
    return point.weight * factor * decay_factor(age_days, policy.half_life_days)


def level_for(score: float | None, levels: Sequence[Level]) -> Hashable | None:
    """The highest level whose minimum the score reaches; None when it reaches none."""
    if score is None:
        return None
    reached = None
    best = -math.inf
    for level in levels:
        if score + LEVEL_EPSILON >= level.min_score and level.min_score > best:
            reached, best = level.key, level.min_score
    return reached


def _validate(point: EvidencePoint) -> None:
    if not (math.isfinite(point.score) and 0.0 <= point.score <= 1.0):
        raise ValueError(f"score {point.score!r} outside [0, 1]")
    if not (math.isfinite(point.weight) and 0.0 < point.weight <= 1.0):
        raise ValueError(f"weight {point.weight!r} outside (0, 1]")


def compute(
    points: Iterable[EvidencePoint],
    *,
    now: datetime,
    levels: Sequence[Level] = (),
    policy: ScoringPolicy | None = None,
    validity_months: int | None = None,
) -> CompetencyResult:
    """Score, level and confidence of one person in one competency from their live evidence.

    With ``validity_months`` (the framework's), a level counts only while its newest supporting evidence
    is at most that old: the result's ``level`` is the highest *current* level reached, and a higher level
    reached on older evidence is ``due_level`` (reassessment due).

    Weights are first taken relative to the newest evidence, so the mean is bit-for-bit the same
    whatever ``now`` is (an incremental update and a later full recompute agree exactly), and only
    the total weight and confidence are then aged to ``now``.
    """
    policy = policy or ScoringPolicy()
    # Sorted so the floating-point sum does not depend on the order the database returned rows in.
    points = sorted(points, key=lambda p: (p.recorded_at, p.score, p.weight, p.self_reported))
    if not points:
        return CompetencyResult(None, None, 0, 0.0, 0.0, None, None, None)
    for point in points:
        _validate(point)
    latest = max(point.recorded_at for point in points)
    total_weight = 0.0
    weighted_sum = 0.0
    for point in points:
        w = point_weight(point, now=latest, policy=policy)
        total_weight += w
        weighted_sum += w * point.score
    # total_weight > 0: the newest point keeps its full (positive) weight at ``latest``.
    score = min(1.0, max(0.0, weighted_sum / total_weight))
    count = len(points)
    steps = level_steps(levels)
    top = max((step.rank for step in steps), default=0)
    rated = [
        RatedEvidence(p.score, p.weight, p.recorded_at, top if p.cap is None else p.cap, p.self_reported)
        for p in points
    ]
    reached = [c for c in level_checks(rated, levels=steps, now=now, policy=policy.level_policy()) if c.reached]

    def newest_support(rank: int) -> datetime:
        return max(p.recorded_at for p in rated if p.cap >= rank)

    level = due_level = level_evidence_at = None
    if reached:
        level_evidence_at = newest_support(reached[-1].rank)
        if validity_months is None:
            level = reached[-1].key
        else:
            cutoff = months_before(now, validity_months)
            current = [c for c in reached if newest_support(c.rank) >= cutoff]
            level = current[-1].key if current else None
            if level != reached[-1].key:
                due_level = reached[-1].key
    age_days = (now - latest).total_seconds() / SECONDS_PER_DAY
    effective = total_weight * decay_factor(age_days, policy.half_life_days)
    confidence = effective / (effective + policy.confidence_weight)
    return CompetencyResult(score, level, count, effective, confidence, latest, level_evidence_at, due_level)
