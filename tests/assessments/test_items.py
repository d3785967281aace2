import pytest

from assessments.scoring import items as it

# Five attempts, five 0/1 items (hand-computed in the comments).
MATRIX = [
    [1, 1, 1, 1, 1],
    [1, 1, 1, 0, 1],
    [1, 1, 0, 0, 1],
    [1, 0, 0, 0, 1],
    [0, 0, 0, 0, 1],
]
ROWS = [{f"q{j + 1}": v for j, v in enumerate(row)} for row in MATRIX]


def test_hand_computed_example():
    stats = it.item_statistics(ROWS)
    by_item = {s.item: s for s in stats.items}
    # facility = share correct
    assert [by_item[f"q{j}"].facility for j in range(1, 6)] == [0.8, 0.6, 0.4, 0.2, 1.0]
    # q1 vs rest [4,3,2,1,1]: sxy = 1.2, sxx = 0.8, syy = 6.8 -> 1.2 / sqrt(5.44) = 0.5145
    assert by_item["q1"].discrimination == pytest.approx(0.5145, abs=1e-4)
    # q2 vs rest: sxy = 1.8, sxx = 1.2, syy = 5.2 -> 1.8 / sqrt(6.24) = 0.7206
    assert by_item["q2"].discrimination == pytest.approx(0.7206, abs=1e-4)
    assert by_item["q4"].discrimination == pytest.approx(0.5145, abs=1e-4)
    assert by_item["q5"].discrimination is None  # everyone right: no variance
    # KR-20: k=5, Σpq = .16+.24+.24+.16+0 = .8, var(total [5,4,3,2,1]) = 2 -> 5/4 * (1 - .8/2) = 0.75
    assert stats.alpha == pytest.approx(0.75)
    assert stats.dichotomous and stats.alpha_items == 5
    assert by_item["q5"].flags == (it.TOO_EASY,)
    assert by_item["q1"].flags == ()
    assert by_item["q4"].flags == ()  # 0.2 is not below 0.2


def test_flags_for_hard_and_non_discriminating_items():
    rows = [dict(r, bad=1 - r["q1"]) for r in ROWS]  # an item the strong attempts get wrong
    stats = it.item_statistics(rows)
    bad = next(s for s in stats.items if s.item == "bad")
    assert bad.facility == 0.2 and bad.discrimination < 0
    assert it.LOW_DISCRIMINATION in bad.flags
    assert it.flags_for(0.1, 0.5) == (it.TOO_HARD,)
    assert it.flags_for(0.95, 0.1) == (it.TOO_EASY, it.LOW_DISCRIMINATION)


def test_alpha_uses_the_items_every_attempt_saw_and_handles_degenerate_cases():
    rows = [dict(r) for r in ROWS] + [{"q1": 1, "q2": 0, "q3": 0, "q4": 0}]  # this attempt did not draw q5
    stats = it.item_statistics(rows)
    assert stats.alpha_items == 4
    assert stats.alpha == pytest.approx(it.cronbach_alpha([[r[f"q{j}"] for j in range(1, 5)] for r in rows]), abs=1e-4)
    assert next(s for s in stats.items if s.item == "q5").responses == 5
    assert it.item_statistics([{"a": 1}, {"b": 0}]).alpha is None
    assert it.item_statistics([]).alpha is None
    assert it.cronbach_alpha([[1, 1], [1, 1]]) is None
    assert it.cronbach_alpha([[1, 0]]) is None


def test_alpha_matches_the_general_formula_on_partial_credit():
    rows = [[0.5, 1, 0.25], [1, 1, 1], [0, 0.5, 0], [0.5, 0.5, 0.75]]
    k = 3

    def pvar(xs):
        m = sum(xs) / len(xs)
        return sum((x - m) ** 2 for x in xs) / len(xs)

    expected = k / (k - 1) * (1 - sum(pvar([r[j] for r in rows]) for j in range(k)) / pvar([sum(r) for r in rows]))
    assert it.cronbach_alpha(rows) == pytest.approx(expected)
