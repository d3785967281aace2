"""The pure scoring function: hand-worked examples, properties and level edges (no database)."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring.competency import (
    EvidencePoint,
    Level,
    ScoringPolicy,
    compute,
    decay_factor,
    level_for,
    point_weight,
)

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
YEAR = timedelta(days=365)
POLICY = ScoringPolicy(half_life_days=365, self_reported_factor=0.5, min_evidence=2, confidence_weight=2.0)
VN_LEVELS = [
    Level(key=code, min_score=i / 8) for i, code in enumerate(["CB1", "CB2", "TC1", "TC2", "NC1", "NC2", "CS1", "CS2"])
]


def p(score, *, ago=timedelta(0), weight=1.0, self_reported=False):
    return EvidencePoint(score=score, weight=weight, recorded_at=NOW - ago, self_reported=self_reported)


# ---- hand-worked examples ----


def test_one_piece_of_evidence_gives_a_score_but_not_a_level():
    result = compute([p(0.8)], now=NOW, levels=VN_LEVELS, policy=POLICY)
    assert result.score == pytest.approx(0.8)
    assert result.level is None  # 1 < min_evidence = 2: "not enough evidence"
    assert result.evidence_count == 1
    assert result.effective_weight == pytest.approx(1.0)
    assert result.confidence == pytest.approx(1 / 3)  # 1 / (1 + 2)


def test_year_old_evidence_counts_half():
    # 0.6 a year ago (weight 0.5) and 1.0 today (weight 1): (0.3 + 1.0) / 1.5 = 0.8667 ≥ 70 %. Evidence
    # without a band supports any level, so the level rule gives the top level; with a band it is capped.
    result = compute([p(0.6, ago=YEAR), p(1.0)], now=NOW, levels=VN_LEVELS, policy=POLICY)
    assert result.score == pytest.approx(1.3 / 1.5)
    assert result.level == "CS2"
    capped = [EvidencePoint(0.6, 1.0, NOW - YEAR, cap=4), EvidencePoint(1.0, 1.0, NOW, cap=4)]
    assert compute(capped, now=NOW, levels=VN_LEVELS, policy=POLICY).level == "TC2"
    assert result.effective_weight == pytest.approx(1.5)
    assert result.confidence == pytest.approx(1.5 / 3.5)


def test_self_reported_evidence_counts_half_as_much():
    # self-reported 1.0 (weight 0.5) + server-graded 0.4 (weight 1): (0.5 + 0.4) / 1.5 = 0.6 < 70 %: no level
    result = compute([p(1.0, self_reported=True), p(0.4)], now=NOW, levels=VN_LEVELS, policy=POLICY)
    assert result.score == pytest.approx(0.6)
    assert result.level is None


def test_item_weights_scale_the_contribution():
    # 0.2 with weight 0.5 and 0.8 with weight 1: (0.1 + 0.8) / 1.5 = 0.6
    result = compute([p(0.2, weight=0.5), p(0.8)], now=NOW, levels=VN_LEVELS, policy=POLICY)
    assert result.score == pytest.approx(0.6)


def test_a_year_later_the_score_holds_but_confidence_fades():
    points = [p(0.6, ago=YEAR), p(1.0)]
    today = compute(points, now=NOW, levels=VN_LEVELS, policy=POLICY)
    later = compute(points, now=NOW + YEAR, levels=VN_LEVELS, policy=POLICY)
    assert later.score == today.score  # bit-identical: weights are taken relative to the newest evidence
    assert later.level == today.level
    assert later.effective_weight == pytest.approx(0.75)
    assert later.confidence == pytest.approx(0.75 / 2.75)


def test_no_evidence():
    result = compute([], now=NOW, levels=VN_LEVELS, policy=POLICY)
    assert (result.score, result.level, result.evidence_count, result.confidence) == (None, None, 0, 0.0)


def test_invalid_points_are_refused():
    with pytest.raises(ValueError):
        compute([p(1.2)], now=NOW)
    with pytest.raises(ValueError):
        compute([p(0.5, weight=0)], now=NOW)
    with pytest.raises(ValueError):
        ScoringPolicy(half_life_days=0)


# ---- level mapping edges ----


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0.0, "CB1"),
        (0.1249, "CB1"),
        (0.125, "CB2"),
        (0.12499999999999, "CB2"),  # float noise below the threshold still reaches it
        (0.25, "TC1"),
        (0.5, "NC1"),
        (0.7499, "NC2"),
        (0.75, "CS1"),
        (0.8749, "CS1"),
        (0.875, "CS2"),
        (1.0, "CS2"),
    ],
)
def test_level_edges(score, level):
    assert level_for(score, VN_LEVELS) == level


def test_score_below_every_threshold_has_no_level():
    assert level_for(0.05, [Level("A", 0.1), Level("B", 0.5)]) is None
    assert level_for(0.5, []) is None
    assert level_for(None, VN_LEVELS) is None


def test_levels_need_the_minimum_evidence():
    policy = ScoringPolicy(min_evidence=3)
    assert compute([p(0.9), p(0.9)], now=NOW, levels=VN_LEVELS, policy=policy).level is None
    assert compute([p(0.9)] * 3, now=NOW, levels=VN_LEVELS, policy=policy).level == "CS2"


# ---- properties ----

scores = st.floats(min_value=0, max_value=1, allow_nan=False)
weights = st.floats(min_value=0.01, max_value=1, allow_nan=False)
ages = st.integers(min_value=0, max_value=3 * 365)
points = st.lists(
    st.builds(
        lambda s, w, a, sr: p(s, weight=w, ago=timedelta(days=a), self_reported=sr),
        scores,
        weights,
        ages,
        st.booleans(),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(points)
def test_bounded(history):
    result = compute(history, now=NOW, levels=VN_LEVELS, policy=POLICY)
    assert 0.0 <= result.score <= 1.0
    assert 0.0 <= result.confidence < 1.0
    assert min(x.score for x in history) - 1e-9 <= result.score <= max(x.score for x in history) + 1e-9


@settings(max_examples=200, deadline=None)
@given(points, scores, weights)
def test_monotone_in_new_good_evidence(history, extra, weight):
    before = compute(history, now=NOW, levels=VN_LEVELS, policy=POLICY)
    new = p(max(extra, before.score), weight=weight)  # new evidence at least as good as the current score
    after = compute([*history, new], now=NOW, levels=VN_LEVELS, policy=POLICY)
    assert after.score >= before.score - 1e-12
    assert after.confidence > before.confidence
    assert after.evidence_count == before.evidence_count + 1


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=1, max_value=5000), weights, st.floats(min_value=0, max_value=3000))
def test_decay_halves_weight_after_one_half_life(half_life, weight, age):
    policy = ScoringPolicy(half_life_days=half_life)
    young = point_weight(p(0.5, weight=weight, ago=timedelta(days=age)), now=NOW, policy=policy)
    old = point_weight(p(0.5, weight=weight, ago=timedelta(days=age + half_life)), now=NOW, policy=policy)
    assert old == pytest.approx(young / 2, rel=1e-9)
    assert decay_factor(half_life, half_life) == pytest.approx(0.5)


@settings(max_examples=100, deadline=None)
@given(points, st.integers(min_value=0, max_value=2000))
def test_score_does_not_depend_on_the_clock(history, later_days):
    a = compute(history, now=NOW, levels=VN_LEVELS, policy=POLICY)
    b = compute(history, now=NOW + timedelta(days=later_days), levels=VN_LEVELS, policy=POLICY)
    assert a.score == b.score
    # The level may fade (confidence falls below the minimum) but never rises with time.
    order = [None] + [level.key for level in VN_LEVELS]
    assert order.index(b.level) <= order.index(a.level)
    assert b.confidence <= a.confidence + 1e-12


def test_a_level_on_evidence_older_than_the_validity_is_due_and_the_current_level_is_the_highest_still_fresh():
    old = [
        EvidencePoint(0.9, 1.0, NOW - timedelta(days=500), cap=6),
        EvidencePoint(0.9, 1.0, NOW - timedelta(days=500), cap=6),
    ]
    fresh = [EvidencePoint(0.8, 1.0, NOW - timedelta(days=10), cap=2), EvidencePoint(0.8, 1.0, NOW, cap=2)]
    result = compute(old + fresh, now=NOW, levels=VN_LEVELS, policy=POLICY, validity_months=12)
    assert (result.level, result.due_level) == ("CB2", "NC2")
    assert result.level_evidence_at == NOW - timedelta(days=500)  # when NC2 was last shown
    # Without a validity (or with a long one) NC2 stands.
    assert compute(old + fresh, now=NOW, levels=VN_LEVELS, policy=POLICY, validity_months=24).level == "NC2"
    only_old = compute(old, now=NOW, levels=VN_LEVELS, policy=POLICY, validity_months=12)
    assert (only_old.level, only_old.due_level) == (None, "NC2")
