"""Item response theory and the adaptive placement rules. Pure: no ORM, no clock, no numpy.

The rule, in words (the README repeats it for trainers and HR):

* **Model: two-parameter logistic (2PL).** An officer of ability θ answers item *i* (discrimination
  ``a``, difficulty ``b``) correctly with probability ``P = 1 / (1 + exp(-a (θ - b)))``. A partly right
  answer (multiple response, ordering) counts as the fraction ``x`` of a success: its likelihood is
  ``P**x * (1 - P)**(1 - x)``. Abilities are in logits, on the scale of a standard normal population.
* **An item's information** at θ is ``a² P (1 - P)``: how much one answer narrows the estimate there.
* **Ability** is the expected a-posteriori (EAP) estimate: the mean of the posterior over a fixed grid
  of θ (``-4 … 4``, 81 points) with a normal prior (mean 0, sd 1); its **standard error** is the
  posterior standard deviation. Before any answer the estimate is the prior's mean with SE = prior sd.
* **Next item**: among the items of the section not yet served, keep those of the competencies that
  have had the fewest items so far (content balancing: every competency of an area is visited before
  any gets a second item); drop items whose exposure rate already exceeds ``max_exposure`` (unless that
  leaves nothing); rank the rest by information at the current θ and pick at random among the best
  ``randomesque`` (exposure control: the most informative item is not given to everybody).
* **Stop** a section when the SE is at most ``se_target`` (after ``min_items``), or, when the form sets
  ``stop_confidence``, once the most probable placement has at least that posterior probability; in any
  case at ``max_items`` or when the section's bank is exhausted.
* **Placement**: the most probable level under the posterior (the posterior mass between a level's cut score
  and the next one; cut scores are stored with the test form). ``place`` gives the level of a point θ.
* **The result as evidence**: its score is the posterior probability that θ reaches the placed level's cut
  score (the lowest level: 1), so under the level rule a placement supports its level only when it is
  confident; its weight is the reliability of the estimate, ``1 - SE² / prior_sd²``, clamped to
  ``[MIN_WEIGHT, 1]``: a precise estimate counts fully, one barely better than the prior counts little.
* **Prior of an uncalibrated item** (provenance "prior"): ``a = 1`` and ``b`` from the trainer's
  difficulty 1…5 mapped to ``-2, -1, 0, 1, 2``.
* **Item fit** (from calibration): infit and outfit mean squares of the standardised residuals; an item is
  flagged when either leaves ``[FIT_LOW, FIT_HIGH]`` or its discrimination is below ``MIN_DISCRIMINATION``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

THETA_MIN = -4.0
THETA_MAX = 4.0
GRID_POINTS = 81
PRIOR_MEAN = 0.0
PRIOR_SD = 1.0
MIN_WEIGHT = 0.05

DIFFICULTY_PRIOR_B = {1: -2.0, 2: -1.0, 3: 0.0, 4: 1.0, 5: 2.0}
PRIOR_A = 1.0

FIT_LOW = 0.7
FIT_HIGH = 1.3
MIN_DISCRIMINATION = 0.3

MISFIT = "misfit"
LOW_DISCRIMINATION = "low_discrimination"
CONSTANT_RESPONSES = "constant_responses"


@dataclass(frozen=True)
class ItemParams:
    id: Hashable
    a: float
    b: float
    competency: Hashable = None


@dataclass(frozen=True)
class Response:
    a: float
    b: float
    score: float  # 0..1, the fraction of the item's points


@dataclass(frozen=True)
class Estimate:
    theta: float
    se: float


@dataclass(frozen=True)
class SectionRules:
    se_target: float = 0.3
    min_items: int = 4
    max_items: int = 12
    randomesque: int = 3
    max_exposure: float = 0.3
    # Stop early once the most probable placement has at least this posterior probability (0 = off).
    stop_confidence: float = 0.0

    def __post_init__(self):
        if not self.se_target > 0:
            raise ValueError("se_target must be positive")
        if not 1 <= self.min_items <= self.max_items:
            raise ValueError("need 1 <= min_items <= max_items")
        if self.randomesque < 1:
            raise ValueError("randomesque must be at least 1")
        if not 0 < self.max_exposure <= 1:
            raise ValueError("max_exposure must be in (0, 1]")
        if not 0 <= self.stop_confidence < 1:
            raise ValueError("stop_confidence must be in [0, 1)")


def p_correct(theta: float, a: float, b: float) -> float:
    z = a * (theta - b)
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def information(theta: float, a: float, b: float) -> float:
    p = p_correct(theta, a, b)
    return a * a * p * (1.0 - p)


def prior_params(difficulty: int) -> tuple[float, float]:
    """(a, b) for an item nobody has answered yet, from the trainer's difficulty 1..5."""
    return PRIOR_A, DIFFICULTY_PRIOR_B.get(int(difficulty), 0.0)


def _grid() -> list[float]:
    step = (THETA_MAX - THETA_MIN) / (GRID_POINTS - 1)
    return [THETA_MIN + i * step for i in range(GRID_POINTS)]


GRID = _grid()


def posterior(
    responses: Iterable[Response], *, prior_mean: float = PRIOR_MEAN, prior_sd: float = PRIOR_SD
) -> list[float]:
    """The posterior of θ on ``GRID`` (normalised weights) after the responses."""
    log_post = [-0.5 * ((t - prior_mean) / prior_sd) ** 2 for t in GRID]
    for r in responses:
        x = min(max(float(r.score), 0.0), 1.0)
        for i, t in enumerate(GRID):
            p = min(max(p_correct(t, r.a, r.b), 1e-12), 1 - 1e-12)
            log_post[i] += x * math.log(p) + (1.0 - x) * math.log(1.0 - p)
    top = max(log_post)
    weights = [math.exp(v - top) for v in log_post]
    total = sum(weights)
    return [w / total for w in weights]


def eap(responses: Iterable[Response], *, prior_mean: float = PRIOR_MEAN, prior_sd: float = PRIOR_SD) -> Estimate:
    """Expected a-posteriori ability and its posterior standard deviation."""
    weights = posterior(responses, prior_mean=prior_mean, prior_sd=prior_sd)
    total = 1.0
    mean = sum(w * t for w, t in zip(weights, GRID, strict=True)) / total
    var = sum(w * (t - mean) ** 2 for w, t in zip(weights, GRID, strict=True)) / total
    return Estimate(theta=mean, se=math.sqrt(max(var, 0.0)))


def select_next(
    *,
    theta: float,
    items: Sequence[ItemParams],
    served: Iterable[Hashable],
    competency_counts: Mapping[Hashable, int] | None = None,
    exposure: Mapping[Hashable, float] | None = None,
    rules: SectionRules | None = None,
    rng: random.Random | None = None,
) -> ItemParams | None:
    """The next item to serve (see the module rule), or None when the section's bank is exhausted.

    ``competency_counts`` counts items served so far per competency; ``exposure`` maps item id to the
    share of past sessions that saw it.
    """
    rules = rules or SectionRules()
    served_ids = set(served)
    pool = [item for item in items if item.id not in served_ids]
    if not pool:
        return None
    counts = competency_counts or {}
    fewest = min(counts.get(item.competency, 0) for item in pool)
    pool = [item for item in pool if counts.get(item.competency, 0) == fewest]
    if exposure:
        fresh = [item for item in pool if exposure.get(item.id, 0.0) < rules.max_exposure]
        pool = fresh or pool
    ranked = sorted(pool, key=lambda item: (-information(theta, item.a, item.b), str(item.id)))
    best = ranked[: rules.randomesque]
    if len(best) == 1 or rng is None:
        return best[0]
    return rng.choice(best)


def should_stop(
    *, estimate: Estimate, served: int, rules: SectionRules, remaining: int, placement_probability: float = 0.0
) -> bool:
    """``placement_probability``: the posterior probability of the most probable placement so far."""
    if served >= rules.max_items or remaining <= 0:
        return True
    if served < rules.min_items:
        return False
    if estimate.se <= rules.se_target:
        return True
    return bool(rules.stop_confidence) and placement_probability >= rules.stop_confidence


def place(theta: float, cuts: Sequence[tuple[Hashable, float]]) -> Hashable:
    """The level whose cut score is the highest one ``theta`` reaches; the lowest level below every cut.

    ``cuts`` is ``[(level, min_theta), ...]``; the lowest level's ``min_theta`` is ignored.
    """
    if not cuts:
        raise ValueError("no cut scores")
    ordered = sorted(cuts, key=lambda c: c[1])
    reached = ordered[0][0]
    for level, min_theta in ordered[1:]:
        if theta >= min_theta:
            reached = level
    return reached


def level_probabilities(weights: Sequence[float], cuts: Sequence[tuple[Hashable, float]]) -> dict[Hashable, float]:
    """The posterior probability of each level: the posterior mass between its cut and the next one."""
    probs = {level: 0.0 for level, _ in cuts}
    for w, t in zip(weights, GRID, strict=True):
        probs[place(t, cuts)] += w
    return probs


def place_bayes(responses: Iterable[Response], cuts: Sequence[tuple[Hashable, float]]) -> tuple[Hashable, float]:
    """The most probable level given the answers, and its probability.

    This maximises the chance of placing the officer on their true level; placing the EAP point estimate
    instead shrinks the extremes towards the middle (the estimate is pulled to the prior mean), so officers
    at the ends of the scale would too often be placed one level in.
    """
    probs = level_probabilities(posterior(responses), cuts)
    best = max(probs, key=lambda level: (probs[level], -abs(dict(cuts)[level])))
    return best, probs[best]


def probability_at_least(weights: Sequence[float], min_theta: float) -> float:
    """The posterior probability that θ is at least ``min_theta``."""
    return min(1.0, sum(w for w, t in zip(weights, GRID, strict=True) if t >= min_theta - 1e-9))


def default_cuts(levels: Sequence[Hashable], *, low: float = -1.5, high: float = 1.5) -> list[tuple[Hashable, float]]:
    """Evenly spaced cut scores: the lowest level below ``low``, the highest at ``high`` or above."""
    n = len(levels)
    if n == 0:
        return []
    if n == 1:
        return [(levels[0], THETA_MIN)]
    step = (high - low) / (n - 2) if n > 2 else 0.0
    return [(levels[0], THETA_MIN)] + [(levels[i], round(low + (i - 1) * step, 4)) for i in range(1, n)]


def evidence_weight(se: float, *, prior_sd: float = PRIOR_SD) -> float:
    reliability = 1.0 - (se * se) / (prior_sd * prior_sd)
    return round(min(max(reliability, MIN_WEIGHT), 1.0), 4)


@dataclass(frozen=True)
class ItemFit:
    responses: int
    infit: float | None
    outfit: float | None
    flags: tuple[str, ...]


def item_fit(observations: Sequence[tuple[float, float]], *, a: float, b: float) -> ItemFit:
    """Infit/outfit mean squares of one item from ``(theta, score)`` pairs of the people who answered it."""
    n = len(observations)
    flags: list[str] = []
    scores = {round(float(x), 6) for _, x in observations}
    if n and len(scores) == 1:
        flags.append(CONSTANT_RESPONSES)
    if a < MIN_DISCRIMINATION:
        flags.append(LOW_DISCRIMINATION)
    if n == 0:
        return ItemFit(responses=0, infit=None, outfit=None, flags=tuple(flags))
    sq_sum = 0.0
    var_sum = 0.0
    z_sum = 0.0
    for theta, x in observations:
        p = p_correct(theta, a, b)
        w = max(p * (1.0 - p), 1e-9)
        sq_sum += (x - p) ** 2
        var_sum += w
        z_sum += (x - p) ** 2 / w
    infit = round(sq_sum / var_sum, 4)
    outfit = round(z_sum / n, 4)
    if not (FIT_LOW <= infit <= FIT_HIGH) or not (FIT_LOW <= outfit <= FIT_HIGH):
        flags.append(MISFIT)
    return ItemFit(responses=n, infit=infit, outfit=outfit, flags=tuple(flags))
