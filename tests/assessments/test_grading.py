import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import grading as g

ids = st.lists(st.text(alphabet="abcdefgh0123456789", min_size=1, max_size=4), min_size=2, max_size=8, unique=True)
points = st.floats(min_value=0.5, max_value=10, allow_nan=False)


def within(result: g.Graded) -> bool:
    return 0 <= result.points <= result.max_points


@given(choices=ids, data=st.data(), m=points)
def test_single_choice(choices, data, m):
    key = data.draw(st.sampled_from(choices))
    answer = data.draw(st.sampled_from(choices))
    result = g.grade_single(answer, correct=key, max_points=m)
    assert within(result)
    assert g.grade_single(key, correct=key, max_points=m).points == pytest.approx(m)
    assert result.points == (pytest.approx(m) if answer == key else 0)


@given(choices=ids, data=st.data(), m=points)
def test_multiple_response_bounds_key_and_order(choices, data, m):
    correct = data.draw(st.lists(st.sampled_from(choices), min_size=1, unique=True))
    picked = data.draw(st.lists(st.sampled_from(choices), unique=True))
    result = g.grade_multiple(picked, correct=correct, choices=choices, max_points=m)
    assert within(result)
    assert g.grade_multiple(list(reversed(picked)), correct=correct, choices=choices, max_points=m) == result
    assert g.grade_multiple(correct, correct=correct, choices=choices, max_points=m).points == pytest.approx(m)
    # Ticking every choice never beats the key, and scores 0 whenever there are wrong choices to tick.
    everything = g.grade_multiple(choices, correct=correct, choices=choices, max_points=m)
    assert everything.points == (pytest.approx(m) if set(correct) == set(choices) else 0)


def test_multiple_response_partial_credit_formula():
    choices = ["a", "b", "c", "d", "e"]
    correct = ["a", "b", "c"]
    # 2 of 3 right, 1 of 2 wrong: 2/3 - 1/2 = 1/6
    assert g.grade_multiple(["a", "b", "d"], correct=correct, choices=choices, max_points=6).points == pytest.approx(1)
    assert g.grade_multiple(["a"], correct=correct, choices=choices, max_points=3).points == pytest.approx(1)
    assert g.grade_multiple(["d", "e"], correct=correct, choices=choices, max_points=3).points == 0  # not negative
    assert g.grade_multiple(["a", "b"], correct=correct, choices=choices, partial=False).points == 0


@given(key=st.booleans(), answer=st.one_of(st.none(), st.booleans()))
def test_true_false(key, answer):
    result = g.grade_true_false(answer, correct=key)
    assert within(result)
    assert result.correct == (answer is key)


@given(
    key=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    tolerance=st.floats(min_value=0, max_value=100),
    answer=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)
def test_numeric_bounds_and_key(key, tolerance, answer):
    result = g.grade_numeric(answer, correct=key, tolerance=tolerance, max_points=2)
    assert within(result)
    assert g.grade_numeric(key, correct=key, tolerance=tolerance, max_points=2).points == 2
    assert g.grade_numeric(repr(key), correct=key, tolerance=tolerance).correct


@pytest.mark.parametrize("typed", ["3,5", "3.5", " 3.5 ", "3,50", "+3.5", "35e-1"])
def test_numeric_accepts_comma_and_point(typed):
    assert g.grade_numeric(typed, correct=3.5).correct


def test_numeric_tolerance_and_thousands():
    assert g.grade_numeric("3,6", correct=3.5, tolerance=0.1).correct
    assert not g.grade_numeric("3,7", correct=3.5, tolerance=0.1).correct
    assert g.parse_number("1 000,25") == 1000.25
    for bad in ["abc", "3,5,1", "1,000.5,2", "", True, [3]]:
        with pytest.raises(g.ResponseError):
            g.parse_number(bad)


def test_short_text_normalises_case_space_and_optionally_accents():
    accepted = ["Chữ ký số", "digital signature"]
    assert g.grade_short_text("  chữ   KÝ số ", accepted=accepted).correct
    assert g.grade_short_text("DIGITAL  signature", accepted=accepted).correct
    assert not g.grade_short_text("chu ky so", accepted=accepted).correct
    assert g.grade_short_text("chu ky so", accepted=accepted, accent_insensitive=True).correct
    assert g.grade_short_text("Đà Nẵng", accepted=["da nang"], accent_insensitive=True).correct
    # Decomposed (NFD) input as some keyboards send it equals the composed key.
    import unicodedata

    assert g.grade_short_text(unicodedata.normalize("NFD", "chữ ký số"), accepted=accepted).correct


@given(text=st.text(max_size=30), accents=st.booleans())
def test_short_text_key_always_matches_itself(text, accents):
    if not text.strip():
        return
    result = g.grade_short_text(text, accepted=[text], accent_insensitive=accents, max_points=3)
    assert result.points == 3


@given(prompts=ids, data=st.data(), m=points)
def test_matching_bounds_key_order_insensitive(prompts, data, m):
    targets = [f"t{p}" for p in prompts]
    correct = dict(zip(prompts, targets, strict=True))
    answer = {
        p: data.draw(st.sampled_from(targets)) for p in data.draw(st.lists(st.sampled_from(prompts), unique=True))
    }
    result = g.grade_matching(answer, correct=correct, max_points=m)
    assert within(result)
    assert g.grade_matching(dict(reversed(list(answer.items()))), correct=correct, max_points=m) == result
    assert g.grade_matching(
        dict(reversed(list(correct.items()))), correct=correct, max_points=m
    ).points == pytest.approx(m)


@given(items=ids, data=st.data(), m=points)
def test_ordering_bounds_and_key(items, data, m):
    answer = data.draw(st.permutations(items))
    result = g.grade_ordering(answer, correct=items, max_points=m)
    assert within(result)
    assert g.grade_ordering(items, correct=items, max_points=m).points == pytest.approx(m)
    assert g.grade_ordering(list(reversed(items)), correct=items, max_points=m).points == 0


def test_ordering_partial_credit_counts_pairs():
    # one swap of neighbours in 4 items: 5 of 6 pairs in order
    assert g.grade_ordering(["a", "c", "b", "d"], correct=["a", "b", "c", "d"], max_points=6).points == pytest.approx(5)
    assert g.grade_ordering(["a", "c", "b", "d"], correct=["a", "b", "c", "d"], partial=False).points == 0


def test_parse_response_names_the_problem():
    key = g.Key(kind=g.MULTIPLE, correct=["1"], choices=("1", "2", "3"))
    assert g.parse_response(key, [3, "1"]) == ["1", "3"]
    with pytest.raises(g.ResponseError, match="not one of"):
        g.parse_response(key, ["9"])
    with pytest.raises(g.ResponseError, match="list"):
        g.parse_response(key, "1")
    order = g.Key(kind=g.ORDERING, correct=["1", "2"], choices=("1", "2"))
    with pytest.raises(g.ResponseError, match="every item"):
        g.parse_response(order, ["1"])
    match = g.Key(kind=g.MATCHING, correct={"1": "1"}, choices=("1",), targets=("1",))
    assert g.parse_response(match, {"1": 1}) == {"1": "1"}
    with pytest.raises(g.ResponseError):
        g.parse_response(g.Key(kind=g.NUMERIC, correct=1), "three")
    assert g.parse_response(g.Key(kind=g.TRUE_FALSE, correct=True), "false") is False


def test_attempt_score_and_competency_subscores():
    results = [
        g.QuestionResult(g.Graded(1, 1), {7: 1.0}),
        g.QuestionResult(g.Graded(0, 2), {7: 0.5, 8: 1.0}),
        g.QuestionResult(g.Graded(1, 1)),
    ]
    score = g.attempt_score(results, pass_mark=50)
    assert (score.points, score.max_points, score.percent, score.passed) == (2, 4, 50.0, True)
    # competency 7: (1*1 + 0.5*0) / (1*1 + 0.5*2) = 0.5, weight mean(1, 0.5)
    assert score.competencies == {7: (0.5, 0.75), 8: (0.0, 1.0)}
    assert not g.attempt_score(results, pass_mark=50.01).passed


@pytest.mark.parametrize(("method", "expected"), [("highest", 80), ("last", 60), ("first", 40), ("average", 60)])
def test_combine_attempts(method, expected):
    assert g.combine_attempts([40, 80, 60], method=method) == expected
    assert g.combine_attempts([], method=method) is None


@given(st.lists(st.floats(min_value=0, max_value=100), min_size=1), st.sampled_from(g.GRADING_METHODS))
def test_combined_grade_is_within_the_attempts(percents, method):
    combined = g.combine_attempts(percents, method=method)
    assert min(percents) - 0.01 <= combined <= max(percents) + 0.01
    assert not math.isnan(combined)


def _results(scores):
    return [g.AttemptResult(key=i, at=i, score=s) for i, s in enumerate(scores)]


@pytest.mark.parametrize(
    ("method", "score", "at", "counted"),
    [("highest", 0.8, 3, (3,)), ("last", 0.6, 4, (4,)), ("first", 0.4, 0, (0,)), ("average", 0.56, 4, (0, 1, 2, 3, 4))],
)
def test_combine_results(method, score, at, counted):
    combined = g.combine_results(_results([0.4, 0.8, 0.2, 0.8, 0.6]), method=method)
    assert (round(combined.score, 6), combined.at, combined.counted) == (score, at, counted)
    assert g.combine_results([], method=method) is None


@given(
    st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=8),
    st.floats(min_value=0, max_value=1),
    st.sampled_from(g.GRADING_METHODS),
)
def test_a_repeat_never_adds_weight_and_a_worse_one_never_lowers_highest(scores, extra, method):
    before = g.combine_results(_results(scores), method=method)
    after = g.combine_results(_results([*scores, extra]), method=method)
    assert len(after.counted) >= 1 and 0 <= after.score <= 1  # still one result
    assert min(scores + [extra]) - 1e-6 <= after.score <= max(scores + [extra]) + 1e-6
    if method == "highest":
        assert after.score >= before.score
    if method == "first":
        assert after == before
