"""Grading one answer against its key, and an attempt from its answers. Pure: no ORM, no clock.

Every ``grade_*`` function returns a :class:`Graded` (points, max points). Responses arrive already
checked for shape by :func:`parse_response`, which raises :class:`ResponseError` naming what is wrong
(the API turns it into a 400 naming the field).

Partial credit for *multiple response* (documented in the README)::

    fraction = max(0, hits / |correct| - false_picks / |wrong|)     (the second term is 0 when |wrong| = 0)
    points   = max_points * fraction

so ticking every choice scores 0, ticking exactly the correct ones scores full marks, and the score
never goes below zero. *Matching* scores the share of correctly matched prompts; *ordering* scores the
share of item pairs placed in the right relative order (Kendall-style), each all-or-nothing when the
question asks for no partial credit.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
NUMERIC = "numeric"
SHORT_TEXT = "short_text"
MATCHING = "matching"
ORDERING = "ordering"
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, NUMERIC, SHORT_TEXT, MATCHING, ORDERING)

# Floating-point slack when comparing a numeric answer with key ± tolerance.
_EPSILON = 1e-9


class ResponseError(ValueError):
    """A response of the wrong shape; ``str()`` says why in English (the caller adds the field name).

    ``code`` and ``params`` let the caller show a translated message instead.
    """

    def __init__(self, message: str, code: str = "invalid", **params):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Graded:
    points: float
    max_points: float

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def correct(self) -> bool:
        return self.max_points > 0 and math.isclose(self.points, self.max_points)


def _clamp(points: float, max_points: float) -> Graded:
    return Graded(points=min(max(round(points, 6), 0.0), max_points), max_points=max_points)


# ---- one function per question type ----


def grade_single(response: Any, *, correct: Any, max_points: float = 1.0) -> Graded:
    return _clamp(max_points if response is not None and response == correct else 0.0, max_points)


def grade_multiple(
    response: Iterable[Any] | None,
    *,
    correct: Iterable[Any],
    choices: Iterable[Any],
    max_points: float = 1.0,
    partial: bool = True,
) -> Graded:
    picked = set(response or ())
    right = set(correct)
    wrong = set(choices) - right
    if not right:
        return _clamp(max_points if not picked else 0.0, max_points)
    if not partial:
        return _clamp(max_points if picked == right else 0.0, max_points)
    hits = len(picked & right) / len(right)
    penalty = len(picked & wrong) / len(wrong) if wrong else 0.0
    return _clamp(max_points * max(0.0, hits - penalty), max_points)


def grade_true_false(response: bool | None, *, correct: bool, max_points: float = 1.0) -> Graded:
    return _clamp(max_points if response is not None and bool(response) is bool(correct) else 0.0, max_points)


def parse_number(value: Any) -> float:
    """A number typed by a person: "3,5", "3.5", " -2 ", "1 000,25" (space-grouped) or a JSON number."""
    if isinstance(value, bool):
        raise ResponseError("expected a number", "number")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ResponseError("expected a finite number", "number")
        return float(value)
    if not isinstance(value, str):
        raise ResponseError("expected a number", "number")
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
        raise ResponseError(
            f"“{value}” is not a number (use digits, with “,” or “.” for decimals)", "not_a_number", value=value
        )
    number = float(text)
    if not math.isfinite(number):
        raise ResponseError("expected a finite number", "number")
    return number


def grade_numeric(response: Any, *, correct: float, tolerance: float = 0.0, max_points: float = 1.0) -> Graded:
    if response is None or response == "":
        return _clamp(0.0, max_points)
    value = parse_number(response)
    ok = abs(value - float(correct)) <= abs(float(tolerance)) + _EPSILON * max(1.0, abs(float(correct)))
    return _clamp(max_points if ok else 0.0, max_points)


_VI_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def normalise_text(text: str, *, accent_insensitive: bool = False) -> str:
    """Case-folded, whitespace collapsed; with ``accent_insensitive`` also without diacritics ("Đà" → "da")."""
    text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split()).casefold()
    if accent_insensitive:
        text = text.translate(_VI_EXTRA)
        decomposed = unicodedata.normalize("NFD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return text


def grade_short_text(
    response: str | None, *, accepted: Sequence[str], accent_insensitive: bool = False, max_points: float = 1.0
) -> Graded:
    if not response:
        return _clamp(0.0, max_points)
    given = normalise_text(response, accent_insensitive=accent_insensitive)
    ok = any(given == normalise_text(a, accent_insensitive=accent_insensitive) for a in accepted if a.strip())
    return _clamp(max_points if ok else 0.0, max_points)


def grade_matching(
    response: Mapping[Any, Any] | None, *, correct: Mapping[Any, Any], max_points: float = 1.0, partial: bool = True
) -> Graded:
    if not correct:
        return _clamp(0.0, max_points)
    given = response or {}
    right = sum(1 for prompt, target in correct.items() if given.get(prompt) == target)
    if not partial:
        return _clamp(max_points if right == len(correct) else 0.0, max_points)
    return _clamp(max_points * right / len(correct), max_points)


def grade_ordering(
    response: Sequence[Any] | None, *, correct: Sequence[Any], max_points: float = 1.0, partial: bool = True
) -> Graded:
    key = list(correct)
    given = list(response or [])
    if len(key) < 2:
        return _clamp(max_points if given == key else 0.0, max_points)
    if given == key:
        return _clamp(max_points, max_points)
    if not partial or sorted(map(str, given)) != sorted(map(str, key)):
        return _clamp(0.0, max_points)
    position = {item: i for i, item in enumerate(given)}
    pairs = len(key) * (len(key) - 1) / 2
    in_order = sum(1 for i in range(len(key)) for j in range(i + 1, len(key)) if position[key[i]] < position[key[j]])
    return _clamp(max_points * in_order / pairs, max_points)


# ---- a question as plain data ----


@dataclass(frozen=True)
class Key:
    """Everything needed to grade one question. ``choices`` are the choice ids the learner may use
    (strings, as JSON object keys are strings).

    - single: ``correct`` is the right choice id
    - multiple: ``correct`` is the list of right choice ids
    - true_false: ``correct`` is a bool
    - numeric: ``correct`` is the number, ``tolerance`` the allowed absolute error
    - short_text: ``accepted`` the accepted answers, ``accent_insensitive`` for Vietnamese without diacritics
    - matching: ``correct`` maps each prompt id to its target id (``targets`` are the target ids)
    - ordering: ``correct`` is the list of item ids in the right order
    """

    kind: str
    max_points: float = 1.0
    correct: Any = None
    choices: tuple = ()
    targets: tuple = ()
    tolerance: float = 0.0
    accepted: tuple = ()
    accent_insensitive: bool = False
    partial: bool = True


def grade(key: Key, response: Any) -> Graded:
    """Grade an already parsed response (``None`` = unanswered, worth 0)."""
    m = key.max_points
    if response is None:
        return _clamp(0.0, m)
    if key.kind == SINGLE:
        return grade_single(response, correct=key.correct, max_points=m)
    if key.kind == MULTIPLE:
        return grade_multiple(response, correct=key.correct, choices=key.choices, max_points=m, partial=key.partial)
    if key.kind == TRUE_FALSE:
        return grade_true_false(response, correct=key.correct, max_points=m)
    if key.kind == NUMERIC:
        return grade_numeric(response, correct=key.correct, tolerance=key.tolerance, max_points=m)
    if key.kind == SHORT_TEXT:
        return grade_short_text(
            response, accepted=key.accepted, accent_insensitive=key.accent_insensitive, max_points=m
        )
    if key.kind == MATCHING:
        return grade_matching(response, correct=key.correct, max_points=m, partial=key.partial)
    if key.kind == ORDERING:
        return grade_ordering(response, correct=key.correct, max_points=m, partial=key.partial)
    raise ValueError(f"unknown question kind {key.kind!r}")


def _as_id(value: Any, allowed: Iterable[Any]) -> Any:
    allowed = tuple(allowed)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ResponseError("expected a choice id", "choice")
    for candidate in allowed:
        if str(candidate) == str(value):
            return candidate
    raise ResponseError(f"“{value}” is not one of this question's choices", "unknown_choice", value=value)


MAX_TEXT = 500


def parse_response(key: Key, raw: Any) -> Any:
    """Check the shape of a learner's response for this question and return it normalised.

    ``None`` (or an empty list/string) clears the answer. Raises :class:`ResponseError` with the reason.
    """
    if raw is None:
        return None
    kind = key.kind
    if kind == SINGLE:
        return _as_id(raw, key.choices)
    if kind == MULTIPLE:
        if not isinstance(raw, list):
            raise ResponseError("expected a list of choice ids", "choice_list")
        picked = [_as_id(v, key.choices) for v in raw]
        if len(set(picked)) != len(picked):
            raise ResponseError("a choice is given more than once", "duplicate")
        return sorted(picked, key=str) or None
    if kind == TRUE_FALSE:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in {"true", "false"}:
            return raw.lower() == "true"
        raise ResponseError("expected true or false", "boolean")
    if kind == NUMERIC:
        if isinstance(raw, str) and not raw.strip():
            return None
        parse_number(raw)
        return raw.strip() if isinstance(raw, str) else raw
    if kind == SHORT_TEXT:
        if not isinstance(raw, str):
            raise ResponseError("expected text", "text")
        if len(raw) > MAX_TEXT:
            raise ResponseError(f"longer than {MAX_TEXT} characters", "too_long", max=MAX_TEXT)
        return raw if raw.strip() else None
    if kind == MATCHING:
        if not isinstance(raw, dict):
            raise ResponseError("expected an object mapping each prompt id to a target id", "mapping")
        out = {}
        for prompt, target in raw.items():
            p = _as_id(prompt, key.choices)
            out[p] = None if target is None else _as_id(target, key.targets)
        out = {p: t for p, t in out.items() if t is not None}
        return dict(sorted(out.items(), key=lambda kv: str(kv[0]))) or None
    if kind == ORDERING:
        if not isinstance(raw, list):
            raise ResponseError("expected the list of item ids in your order", "order_list")
        items = [_as_id(v, key.choices) for v in raw]
        if sorted(map(str, items)) != sorted(map(str, key.choices)):
            raise ResponseError("must list every item exactly once", "order_complete")
        return items
    raise ValueError(f"unknown question kind {kind!r}")


# ---- an attempt ----


@dataclass(frozen=True)
class QuestionResult:
    graded: Graded
    competencies: Mapping[int, float] = field(default_factory=dict)  # competency id -> link weight in (0, 1]
    band: str = ""  # the proficiency band the question assesses ("" = the quiz's)


@dataclass(frozen=True)
class AttemptScore:
    points: float
    max_points: float
    percent: float
    passed: bool
    competencies: dict[int, tuple[float, float]]  # competency id -> (score 0..1, evidence weight in (0, 1])
    # (competency id, band) -> (score 0..1, evidence weight): the evidence, one item per band assessed
    bands: dict[tuple[int, str], tuple[float, float]] = field(default_factory=dict)


def _shares(results, key) -> dict:
    earned: dict = {}
    possible: dict = {}
    weights: dict = {}
    for r in results:
        for competency, weight in r.competencies.items():
            k = key(competency, r)
            earned[k] = earned.get(k, 0.0) + weight * r.graded.points
            possible[k] = possible.get(k, 0.0) + weight * r.graded.max_points
            weights.setdefault(k, []).append(weight)
    return {
        k: (round(min(1.0, earned[k] / possible[k]), 6), round(sum(weights[k]) / len(weights[k]), 6))
        for k in possible
        if possible[k] > 0
    }


def attempt_score(results: Sequence[QuestionResult], *, pass_mark: float, default_band: str = "") -> AttemptScore:
    """Sum the questions; per competency, the link-weighted share of points and the mean link weight.

    ``bands`` splits the same shares by the band each question assesses (``default_band`` for questions
    that name none), so a quiz mixing basic and advanced questions gives evidence at both bands."""
    points = sum(r.graded.points for r in results)
    max_points = sum(r.graded.max_points for r in results)
    percent = round(100.0 * points / max_points, 2) if max_points else 0.0
    competencies = _shares(results, lambda c, r: c)
    bands = _shares(results, lambda c, r: (c, r.band or default_band))
    return AttemptScore(
        points=round(points, 6),
        max_points=round(max_points, 6),
        percent=percent,
        passed=max_points > 0 and percent + 1e-9 >= pass_mark,
        competencies=competencies,
        bands=bands,
    )


HIGHEST = "highest"
LAST = "last"
AVERAGE = "average"
FIRST = "first"
GRADING_METHODS = (HIGHEST, LAST, AVERAGE, FIRST)


def combine_attempts(percents: Sequence[float], *, method: str) -> float | None:
    """The quiz grade from the graded attempts' percentages, oldest first; ``None`` without attempts."""
    if not percents:
        return None
    if method == HIGHEST:
        return max(percents)
    if method == LAST:
        return percents[-1]
    if method == FIRST:
        return percents[0]
    if method == AVERAGE:
        return round(sum(percents) / len(percents), 2)
    raise ValueError(f"unknown grading method {method!r}")


@dataclass(frozen=True)
class AttemptResult:
    """One finished attempt of an activity, as the combination sees it: when it finished, its score (0..1)
    and whether the content reported the score itself (not checked by the server)."""

    key: Any  # the caller's handle on the attempt (an id), returned in ``CombinedResult.counted``
    at: Any  # when it finished; only compared, so any ordered value (a datetime in practice)
    score: float
    self_reported: bool = False


@dataclass(frozen=True)
class CombinedResult:
    score: float
    at: Any  # when the combined result was demonstrated (see ``combine_results``)
    self_reported: bool
    counted: tuple  # keys of the attempts the result rests on


def combine_results(results: Sequence[AttemptResult], *, method: str) -> CombinedResult | None:
    """One result for an activity from all its finished attempts, so repeating it never adds weight.

    The rule, per method (attempts ordered by the moment they finished, then by key):

    * ``highest``: the best score; among equal best scores the latest attempt (the most recent
      demonstration), so recency follows what was shown last.
    * ``last`` / ``first``: that attempt.
    * ``average``: the mean of every attempt, dated at the latest one.

    The result is self-reported when any attempt it rests on was. ``None`` without attempts.
    """
    if not results:
        return None
    ordered = sorted(results, key=lambda r: (r.at, r.key))
    if method == HIGHEST:
        best = max(r.score for r in ordered)
        chosen = [[r for r in ordered if r.score == best][-1]]
    elif method == LAST:
        chosen = [ordered[-1]]
    elif method == FIRST:
        chosen = [ordered[0]]
    elif method == AVERAGE:
        chosen = ordered
    else:
        raise ValueError(f"unknown grading method {method!r}")
    score = sum(r.score for r in chosen) / len(chosen)
    return CombinedResult(
        score=round(min(1.0, max(0.0, score)), 6),
        at=chosen[-1].at,
        self_reported=any(r.self_reported for r in chosen),
        counted=tuple(r.key for r in chosen),
    )
