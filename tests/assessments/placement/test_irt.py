"""The pure IRT engine, checked against catsim (information, selection) and girth (EAP ability)."""

from __future__ import annotations

import math
import random

import pytest

from assessments.scoring import irt

catsim_irt = pytest.importorskip("catsim.irt")
girth = pytest.importorskip("girth")
np = pytest.importorskip("numpy")


def _bank(n=60, seed=3):
    rng = random.Random(seed)
    return [irt.ItemParams(id=i, a=rng.uniform(0.6, 2.2), b=rng.uniform(-2.5, 2.5), competency=i % 4) for i in range(n)]


def test_probability_and_information_match_catsim():
    for item in _bank(30):
        for theta in (-3.0, -1.2, 0.0, 0.7, 2.9):
            assert irt.p_correct(theta, item.a, item.b) == pytest.approx(catsim_irt.icc(theta, item.a, item.b))
            assert irt.information(theta, item.a, item.b) == pytest.approx(catsim_irt.inf(theta, item.a, item.b))


def test_pure_max_information_picks_catsim_max_info_item():
    from catsim.item_bank import ItemBank
    from catsim.selection import MaxInfoSelector

    bank = _bank(50)
    matrix = np.array([[it.a, it.b, 0.0, 1.0] for it in bank])
    catsim_bank = ItemBank(matrix)
    rules = irt.SectionRules(randomesque=1, max_items=50)
    for theta in (-2.0, -0.4, 0.0, 1.3):
        served = [0, 7, 11]
        # one competency for everybody: content balancing is then neutral, as in catsim
        flat = [irt.ItemParams(id=it.id, a=it.a, b=it.b) for it in bank]
        ours = irt.select_next(theta=theta, items=flat, served=served, rules=rules)
        theirs = MaxInfoSelector().select(item_bank=catsim_bank, administered_items=served, est_theta=theta)
        assert ours.id == int(theirs)


def test_eap_matches_girth():
    rng = random.Random(5)
    bank = _bank(20)
    answers = [1 if rng.random() < 0.6 else 0 for _ in bank]
    ours = irt.eap([irt.Response(a=it.a, b=it.b, score=x) for it, x in zip(bank, answers, strict=True)])
    data = np.array(answers).reshape(-1, 1)
    theirs = girth.ability_eap(
        data, np.array([it.b for it in bank]), np.array([it.a for it in bank]), options={"quadrature_n": 161}
    )
    assert ours.theta == pytest.approx(float(theirs[0]), abs=0.02)


def test_eap_without_answers_is_the_prior_and_se_shrinks():
    start = irt.eap([])
    assert start.theta == pytest.approx(0.0, abs=1e-9)
    assert start.se == pytest.approx(1.0, abs=0.01)
    some = irt.eap([irt.Response(a=1.5, b=0.0, score=1), irt.Response(a=1.5, b=0.5, score=0)])
    assert some.se < start.se


def test_content_balancing_visits_every_competency_first():
    bank = _bank(40)
    served, counts = [], {}
    rng = random.Random(1)
    for _ in range(4):
        item = irt.select_next(theta=0.0, items=bank, served=served, competency_counts=counts, rng=rng)
        served.append(item.id)
        counts[item.competency] = counts.get(item.competency, 0) + 1
    assert sorted(counts.values()) == [1, 1, 1, 1]


def test_exposure_control_skips_overexposed_items_unless_nothing_else():
    bank = [irt.ItemParams(id="hot", a=2.0, b=0.0), irt.ItemParams(id="cold", a=0.5, b=2.0)]
    rules = irt.SectionRules(randomesque=1, max_exposure=0.3)
    assert irt.select_next(theta=0.0, items=bank, served=[], exposure={"hot": 0.5}, rules=rules).id == "cold"
    assert irt.select_next(theta=0.0, items=bank, served=["cold"], exposure={"hot": 0.5}, rules=rules).id == "hot"
    assert irt.select_next(theta=0.0, items=bank, served=["cold", "hot"], rules=rules) is None


def test_stopping_rule():
    rules = irt.SectionRules(se_target=0.4, min_items=3, max_items=5)
    precise = irt.Estimate(theta=0, se=0.3)
    vague = irt.Estimate(theta=0, se=0.9)
    assert not irt.should_stop(estimate=precise, served=2, rules=rules, remaining=10)
    assert irt.should_stop(estimate=precise, served=3, rules=rules, remaining=10)
    assert not irt.should_stop(estimate=vague, served=4, rules=rules, remaining=10)
    assert irt.should_stop(estimate=vague, served=5, rules=rules, remaining=10)
    assert irt.should_stop(estimate=vague, served=1, rules=rules, remaining=0)


def test_rules_refuse_nonsense():
    with pytest.raises(ValueError):
        irt.SectionRules(min_items=5, max_items=3)
    with pytest.raises(ValueError):
        irt.SectionRules(se_target=0)


def test_placement_and_default_cuts():
    cuts = irt.default_cuts(["L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8"])
    assert [c for _, c in cuts][1:] == [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5]
    assert irt.place(-3.0, cuts) == "L1"
    assert irt.place(-1.5, cuts) == "L2"
    assert irt.place(0.2, cuts) == "L5"
    assert irt.place(3.0, cuts) == "L8"


def test_evidence_weight_follows_reliability():
    assert irt.evidence_weight(0.3) == pytest.approx(0.91)
    assert irt.evidence_weight(1.0) == irt.MIN_WEIGHT
    assert irt.evidence_weight(0.0) == 1.0


def test_prior_from_difficulty():
    assert irt.prior_params(1) == (1.0, -2.0)
    assert irt.prior_params(5) == (1.0, 2.0)


def test_item_fit_flags_a_misfitting_item():
    rng = random.Random(2)
    thetas = [rng.gauss(0, 1) for _ in range(400)]
    good = [(t, 1.0 if rng.random() < irt.p_correct(t, 1.2, 0.0) else 0.0) for t in thetas]
    # answered at random whatever the ability: the model (a=1.2) does not describe it
    noise = [(t, 1.0 if rng.random() < 0.5 else 0.0) for t in thetas]
    assert irt.MISFIT not in irt.item_fit(good, a=1.2, b=0.0).flags
    assert irt.MISFIT in irt.item_fit(noise, a=1.2, b=0.0).flags
    constant = irt.item_fit([(t, 1.0) for t in thetas[:20]], a=1.0, b=0.0)
    assert irt.CONSTANT_RESPONSES in constant.flags
    assert math.isfinite(constant.infit)


def test_stop_on_a_confident_placement():
    rules = irt.SectionRules(se_target=0.1, min_items=3, max_items=20, stop_confidence=0.9)
    vague = irt.Estimate(theta=2.0, se=0.5)
    assert not irt.should_stop(estimate=vague, served=5, rules=rules, remaining=9, placement_probability=0.8)
    assert irt.should_stop(estimate=vague, served=5, rules=rules, remaining=9, placement_probability=0.95)
    assert not irt.should_stop(estimate=vague, served=2, rules=rules, remaining=9, placement_probability=0.95)


def test_bayes_placement_takes_the_most_probable_level():
    cuts = [("low", irt.THETA_MIN), ("mid", -1.0), ("high", 1.0)]
    strong = [irt.Response(a=2.0, b=b, score=1) for b in (0.0, 0.5, 1.0, 1.5, 2.0)]
    level, probability = irt.place_bayes(strong, cuts)
    assert level == "high" and probability > 0.5
    assert irt.place_bayes([], cuts)[0] == "mid"  # the prior's most probable level
    probs = irt.level_probabilities(irt.posterior(strong), cuts)
    assert sum(probs.values()) == pytest.approx(1.0)
