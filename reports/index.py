"""The digital-competency index (0–100) and the suggested civil-service rating band. Pure: no ORM, no clock.

The formula, in words (also in the README):

1. **Competency attainment** (weight 60 %): for every competency in the person's target profile, the
   level reached divided by the level required, capped at 1 (reaching or passing the target counts as 1);
   the mean of these, over the competencies *measured* (with a current level, see the README): what was not
   measured is listed, not counted as 0. A person without a target profile is measured by the mean of their
   current competency scores (0–1) instead. With nothing measured the part is left out, like part 2.
2. **Mandatory training on time** (weight 30 %): of the mandatory (assigned) courses due in the period,
   completed on time count 1, completed late count ½, not completed count 0; the mean. If nothing
   mandatory was due, this part is left out and the other weights are scaled up.
3. **Training hours** (weight 10 %): hours of training completed in the period divided by the yearly
   target (16 hours by default), capped at 1.

Index = 100 × (weighted sum of the parts that apply) ÷ (sum of their weights), rounded to one decimal.
Bands (thresholds configurable, default 90 / 70 / 50): ≥ 90 “Hoàn thành xuất sắc nhiệm vụ”, ≥ 70 “Hoàn
thành tốt nhiệm vụ”, ≥ 50 “Hoàn thành nhiệm vụ”, below “Không hoàn thành nhiệm vụ”. The band is a
suggestion for HR, given only when enough of the target competencies were measured (``coverage``); the
rating itself is decided by the evaluation council.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Band(models.TextChoices):
    # The civil-service ratings; in Vietnamese exactly their official names (the catalogue says so).
    EXCELLENT = "excellent", _("Excellent completion of duties")
    GOOD = "good", _("Good completion of duties")
    DONE = "done", _("Completion of duties")
    FAIL = "fail", _("Non-completion of duties")


NO_SUGGESTION = pgettext_lazy("evaluation rating", "Not enough evidence to suggest a band")


def band_labels() -> dict:
    """Labels of the suggested bands, with "" (no suggestion: coverage below the period's threshold)."""
    return {**dict(Band.choices), "": NO_SUGGESTION}


@dataclass(frozen=True)
class IndexWeights:
    competency: float = 0.6
    training: float = 0.3
    hours: float = 0.1
    hours_target: float = 16.0


@dataclass(frozen=True)
class IndexInputs:
    # (level reached, level required) for each competency of the target profile
    target_levels: list[tuple[float, float]] = field(default_factory=list)
    # scores 0..1, used only when there is no target profile
    scores: list[float] = field(default_factory=list)
    mandatory_total: int = 0
    mandatory_on_time: int = 0
    mandatory_late: int = 0
    training_hours: float = 0.0


@dataclass(frozen=True)
class IndexResult:
    value: float
    competency: float | None
    training: float | None
    hours: float


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def digital_competency_index(inputs: IndexInputs, weights: IndexWeights = IndexWeights()) -> IndexResult:
    if inputs.target_levels:
        parts = [_clamp(reached / required) if required > 0 else 1.0 for reached, required in inputs.target_levels]
        competency = sum(parts) / len(parts)
    elif inputs.scores:
        competency = sum(_clamp(s) for s in inputs.scores) / len(inputs.scores)
    else:
        competency = None
    training: float | None = None
    if inputs.mandatory_total > 0:
        on_time = min(inputs.mandatory_on_time, inputs.mandatory_total)
        late = min(inputs.mandatory_late, inputs.mandatory_total - on_time)
        training = (on_time + 0.5 * late) / inputs.mandatory_total
    hours = _clamp(inputs.training_hours / weights.hours_target) if weights.hours_target > 0 else 1.0
    weighted = weights.hours * hours
    total_weight = weights.hours
    if competency is not None:
        weighted += weights.competency * competency
        total_weight += weights.competency
    if training is not None:
        weighted += weights.training * training
        total_weight += weights.training
    # the epsilon keeps float noise (0.6 + 0.3 + 0.1 = 1.0000000000000002) from rounding a .x5 down
    value = round(100.0 * weighted / total_weight + 1e-9, 1) if total_weight > 0 else 0.0
    return IndexResult(value=value, competency=competency, training=training, hours=hours)


def coverage(measured: int, required: int) -> float:
    """Share of the target competencies with a current level (1.0 when nothing is required)."""
    return measured / required if required > 0 else 1.0


def suggested_band(value: float, thresholds: tuple[float, float, float] = (90.0, 70.0, 50.0)) -> Band:
    excellent, good, done = thresholds
    if not excellent >= good >= done:
        raise ValueError("Band thresholds must be in decreasing order (excellent ≥ good ≥ done).")
    if value >= excellent:
        return Band.EXCELLENT
    if value >= good:
        return Band.GOOD
    if value >= done:
        return Band.DONE
    return Band.FAIL
