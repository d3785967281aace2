"""The level rule (assessments/scoring/levels.py): worked cases, then properties on random evidence."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.scoring.levels import (
    LevelPolicy,
    LevelStep,
    RatedEvidence,
    band_caps,
    demonstrated_level,
    level_checks,
)

NOW = datetime(2026, 12, 7, tzinfo=UTC)
VN = [LevelStep(code, rank) for rank, code in enumerate(["CB1", "CB2", "TC1", "TC2", "NC1", "NC2", "CS1", "CS2"], 1)]
CAPS = band_caps(
    [(1, "basic"), (2, "basic"), (3, "intermediate"), (4, "intermediate")]
    + [(5, "advanced"), (6, "advanced"), (7, "specialised"), (8, "specialised")]
)
POLICY = LevelPolicy()


def ev(score, *, cap=8, days=0, weight=1.0, self_reported=False):
    return RatedEvidence(score, weight, NOW - timedelta(days=days), cap, self_reported)


def level(points, now=NOW, policy=POLICY):
    return demonstrated_level(points, levels=VN, now=now, policy=policy)


# ---- worked cases (the README's examples) ----


def test_band_caps_are_the_top_rank_of_each_band():
    assert CAPS == {"basic": 2, "intermediate": 4, "advanced": 6, "specialised": 8}


def test_two_perfect_old_answers_on_a_beginner_quiz_give_at_most_the_basic_band():
    # The case: three years old, basic quiz, perfect answers. It used to read CS2.
    old = [ev(1.0, cap=CAPS["basic"], days=3 * 365), ev(1.0, cap=CAPS["basic"], days=3 * 365)]
    assert level(old) is None  # confidence 0.25 / 2.25 = 11 % < 20 %: not current enough to certify anything
    fresh = [ev(1.0, cap=CAPS["basic"]), ev(1.0, cap=CAPS["basic"], days=30)]
    assert level(fresh) == "CB2"


def test_the_level_is_the_highest_whose_supporting_evidence_meets_the_threshold():
    points = [
        ev(0.9, cap=CAPS["basic"]),
        ev(0.8, cap=CAPS["intermediate"]),
        ev(0.75, cap=CAPS["intermediate"], days=10),
        ev(0.4, cap=CAPS["advanced"]),
    ]
    checks = {c.key: c for c in level_checks(points, levels=VN, now=NOW, policy=POLICY)}
    # NC: only the advanced piece can support it (one piece, 40 %): not reached.
    assert checks["NC1"].evidence_count == 1 and not checks["NC1"].reached
    # TC: the three pieces at intermediate or above: (0.8 + 0.75·w + 0.4) / (2 + w) ≈ 64.8 % < 70 %.
    assert checks["TC2"].evidence_count == 3 and not checks["TC2"].reached
    # CB: all four pieces ≈ 71 %: reached, and CB2 is the highest.
    assert checks["CB2"].reached and level(points) == "CB2"


def test_a_level_observed_caps_at_that_level():
    observed_tc1 = [ev(1.0, cap=3), ev(1.0, cap=3, days=5)]
    assert level(observed_tc1) == "TC1"


def test_min_evidence_and_threshold_are_configurable():
    points = [ev(0.6, cap=8)]
    assert level(points) is None
    assert level(points, policy=LevelPolicy(mastery_threshold=0.5, min_evidence=1)) == "CS2"


@pytest.mark.parametrize(
    "kwargs",
    [{"mastery_threshold": 0}, {"mastery_threshold": 1.01}, {"min_confidence": 1}, {"min_evidence": 0}],
)
def test_a_policy_outside_its_range_is_refused(kwargs):
    with pytest.raises(ValueError):
        LevelPolicy(**kwargs)


# ---- properties ----

evidence = st.builds(
    ev,
    st.floats(0, 1),
    cap=st.integers(1, 8),
    days=st.integers(0, 4 * 365),
    weight=st.floats(0.05, 1),
    self_reported=st.booleans(),
)
policies = st.builds(
    LevelPolicy,
    mastery_threshold=st.sampled_from([0.5, 0.7, 0.9]),
    min_confidence=st.sampled_from([0.0, 0.2, 0.5]),
    min_evidence=st.integers(1, 3),
)
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rank(key):
    return 0 if key is None else next(s.rank for s in VN if s.key == key)


@PROPERTY
@given(st.lists(evidence, max_size=12), evidence, policies)
def test_more_evidence_at_or_above_the_threshold_never_lowers_the_level(points, extra, policy):
    extra = replace(extra, score=max(extra.score, policy.mastery_threshold))
    assert rank(level(points + [extra], policy=policy)) >= rank(level(points, policy=policy))


@PROPERTY
@given(st.lists(evidence, min_size=1, max_size=12), st.data(), policies)
def test_a_better_score_never_lowers_the_level(points, data, policy):
    i = data.draw(st.integers(0, len(points) - 1))
    better = data.draw(st.floats(points[i].score, 1))
    improved = list(points)
    improved[i] = replace(points[i], score=better)
    assert rank(level(improved, policy=policy)) >= rank(level(points, policy=policy))


@PROPERTY
@given(st.lists(evidence, max_size=12), st.integers(0, 3 * 365), policies)
def test_the_same_evidence_seen_later_never_gives_a_higher_level(points, days_later, policy):
    later = NOW + timedelta(days=days_later)
    assert rank(level(points, now=later, policy=policy)) <= rank(level(points, policy=policy))


@PROPERTY
@given(st.lists(evidence, max_size=12), policies)
def test_basic_band_evidence_never_certifies_above_the_basic_band(points, policy):
    basic_only = [replace(p, cap=min(p.cap, CAPS["basic"])) for p in points]
    assert rank(level(basic_only, policy=policy)) <= CAPS["basic"]


@PROPERTY
@given(st.lists(evidence, max_size=15), st.randoms(use_true_random=False), policies)
def test_incremental_and_full_recompute_agree(points, rnd, policy):
    # The services recompute a person's competency from all its live evidence whatever order the database
    # returns it in; arriving one by one or all at once must give the same checks, bit for bit.
    full = level_checks(points, levels=VN, now=NOW, policy=policy)
    shuffled = list(points)
    rnd.shuffle(shuffled)
    seen: list[RatedEvidence] = []
    for p in shuffled:
        seen.append(p)
        step = level_checks(seen, levels=VN, now=NOW, policy=policy)
    assert (step if points else full) == full


def test_order_does_not_change_a_large_case():
    rnd = random.Random(7)
    points = [
        ev(rnd.random(), cap=rnd.randint(1, 8), days=rnd.randint(0, 900), weight=rnd.uniform(0.1, 1))
        for _ in range(500)
    ]
    reference = level_checks(points, levels=VN, now=NOW, policy=POLICY)
    for _ in range(5):
        rnd.shuffle(points)
        assert level_checks(points, levels=VN, now=NOW, policy=POLICY) == reference


# ---- recency ----


def test_months_before_keeps_the_day_or_takes_the_months_last():
    from assessments.scoring.levels import months_before

    assert months_before(datetime(2026, 12, 7, tzinfo=UTC), 24) == datetime(2024, 12, 7, tzinfo=UTC)
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2025, 3, 31, tzinfo=UTC), 13) == datetime(2024, 2, 29, tzinfo=UTC)


def test_a_level_is_current_for_the_frameworks_validity():
    from assessments.scoring.levels import is_current

    demonstrated = datetime(2024, 12, 7, tzinfo=UTC)
    assert is_current(demonstrated, now=datetime(2026, 12, 7, tzinfo=UTC), validity_months=24)
    assert not is_current(demonstrated, now=datetime(2026, 12, 8, tzinfo=UTC), validity_months=24)
    assert is_current(demonstrated, now=datetime(2027, 12, 7, tzinfo=UTC), validity_months=36)
    assert not is_current(None, now=NOW, validity_months=24)
