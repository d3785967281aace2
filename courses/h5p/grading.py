"""Server-side re-grading of H5P answers from ``content.json`` and the xAPI ``result.response``.

Pure functions: plain dicts and strings in, ``Score`` out. No ORM, no request, no clock.
The rules follow the content types' own JavaScript (H5P.MultiChoice 1.14, H5P.TrueFalse 1.6,
H5P.Blanks 1.12, H5P.DragText 1.8, H5P.SingleChoiceSet 1.11, H5P.QuestionSet 1.17), so a
statement from an honest player agrees with the server and a forged score does not count.

``grade_item`` returns ``None`` when a type (or a setting, e.g. Blanks' spelling tolerance)
cannot be graded here: the caller then treats the content's claim as self-reported.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from lms.boundaries.params import digits

SEPARATOR = "[,]"
SINGLE_CHOICE = "H5P.SingleChoiceSet.choice"  # pseudo-library for one question of a SingleChoiceSet
ITEM_TYPES = frozenset({"H5P.MultiChoice", "H5P.TrueFalse", "H5P.Blanks", "H5P.DragText", SINGLE_CHOICE})
COMPOUND_TYPES = frozenset({"H5P.SingleChoiceSet", "H5P.QuestionSet"})
REGRADABLE = (ITEM_TYPES - {SINGLE_CHOICE}) | COMPOUND_TYPES


@dataclass(frozen=True)
class Score:
    raw: float
    max: float


def machine_name(library: str) -> str:
    """``"H5P.MultiChoice 1.14"`` -> ``"H5P.MultiChoice"``."""
    return (library or "").split(" ", 1)[0]


def _split(response: str | None) -> list[str]:
    if response is None or response == "":
        return []
    return response.split(SEPARATOR)


# ---- H5P.MultiChoice ----


def _multichoice(params: Mapping[str, Any], response: str | None) -> Score | None:
    answers = params.get("answers")
    if not isinstance(answers, list) or not answers:
        return None
    behaviour = params.get("behaviour") or {}
    weights = [float(a.get("weight", 1)) if isinstance(a, Mapping) else 1.0 for a in answers]
    correct = [bool(a.get("correct")) if isinstance(a, Mapping) else False for a in answers]
    blank_is_correct = not any(correct)
    single_point = bool(behaviour.get("singlePoint"))
    weight = float(params.get("weight", 1) or 1)
    full = (
        (weight if single_point else 1.0)
        if blank_is_correct
        else sum(w for w, c in zip(weights, correct, strict=True) if c)
    )
    chosen: list[int] = []
    for token in _split(response):
        if not digits(token.strip()):
            return Score(0, weight if single_point else full)  # not a choice we offered
        index = int(token)
        if index >= len(answers) or index in chosen:
            return Score(0, weight if single_point else full)
        chosen.append(index)
    score = sum(weights[i] if correct[i] else -weights[i] for i in chosen)
    score = max(score, 0.0)
    if not chosen and blank_is_correct:
        score = full
    if single_point:
        pass_percentage = float(behaviour.get("passPercentage", 100))
        return Score(weight if full and 100 * score / full >= pass_percentage else 0.0, weight)
    return Score(score, full)


# ---- H5P.TrueFalse ----


def _truefalse(params: Mapping[str, Any], response: str | None) -> Score | None:
    expected = str(params.get("correct", "")).lower()
    if expected not in {"true", "false"}:
        return None
    return Score(1.0 if (response or "").strip().lower() == expected else 0.0, 1.0)


# ---- H5P.Blanks ----

_BLANK_RE = re.compile(r"\*([^*]+)\*")


def _clean(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", text)).replace("\xa0", " ").strip()


def _blank_solutions(marker: str) -> list[str]:
    # "*answer/alternative:tip*" ; a backslash-escaped colon is part of the answer
    body = re.split(r"(?<!\\):", marker, maxsplit=1)[0].replace("\\:", ":")
    return [_clean(part) for part in body.split("/")]


def _blanks(params: Mapping[str, Any], response: str | None) -> Score | None:
    behaviour = params.get("behaviour") or {}
    if behaviour.get("acceptSpellingErrors"):
        return None  # H5P's spelling tolerance is fuzzy; don't second-guess it
    questions = params.get("questions")
    if not isinstance(questions, list):
        return None
    blanks = [_blank_solutions(m) for q in questions if isinstance(q, str) for m in _BLANK_RE.findall(q)]
    if not blanks:
        return None
    case_sensitive = bool(behaviour.get("caseSensitive", True))
    given = _split(response)
    score = 0
    for index, solutions in enumerate(blanks):
        answer = _clean(given[index]) if index < len(given) else ""
        if not case_sensitive:
            answer = answer.lower()
            solutions = [s.lower() for s in solutions]
        if answer and answer in solutions:
            score += 1
    return Score(float(score), float(len(blanks)))


# ---- H5P.DragText ----


def _drop_zone_answer(marker: str) -> str:
    # "*word:tip*", "*word\\+right feedback\\-wrong feedback*"
    word = re.split(r"\\[+-]", marker, maxsplit=1)[0]
    word = re.split(r"(?<!\\):", word, maxsplit=1)[0].replace("\\:", ":")
    return html.unescape(word).strip()


def _dragtext(params: Mapping[str, Any], response: str | None) -> Score | None:
    text = params.get("textField")
    if not isinstance(text, str):
        return None
    zones = [_drop_zone_answer(m) for m in _BLANK_RE.findall(text)]
    if not zones:
        return None
    given = _split(response)
    score = sum(1 for i, expected in enumerate(zones) if i < len(given) and given[i].strip() == expected)
    return Score(float(score), float(len(zones)))


# ---- one question of H5P.SingleChoiceSet (the first answer is the correct one) ----


def _single_choice(params: Mapping[str, Any], response: str | None) -> Score | None:
    answers = params.get("answers")
    if not isinstance(answers, list) or not answers:
        return None
    return Score(1.0 if (response or "").strip() == "0" else 0.0, 1.0)


_ITEM_GRADERS = {
    "H5P.MultiChoice": _multichoice,
    "H5P.TrueFalse": _truefalse,
    "H5P.Blanks": _blanks,
    "H5P.DragText": _dragtext,
    SINGLE_CHOICE: _single_choice,
}


def grade_item(library: str, params: Mapping[str, Any], response: str | None) -> Score | None:
    grader = _ITEM_GRADERS.get(machine_name(library))
    if grader is None or not isinstance(params, Mapping):
        return None
    return grader(params, response)


def item_max(library: str, params: Mapping[str, Any]) -> float | None:
    """The maximum score of an unanswered item, or None if unknown."""
    name = machine_name(library)
    if name == "H5P.MultiChoice":
        # the maximum does not depend on the answer: grade an empty one and read .max
        score = _multichoice(params, None)
        return score.max if score else None
    score = grade_item(library, params, "")
    return score.max if score else None


# ---- compound types ----


def children(library: str, params: Mapping[str, Any]) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """Sub-content id -> (library, params) of the gradable parts of a compound activity."""
    name = machine_name(library)
    result: dict[str, tuple[str, Mapping[str, Any]]] = {}
    if name == "H5P.SingleChoiceSet":
        for choice in params.get("choices") or []:
            if isinstance(choice, Mapping) and choice.get("subContentId"):
                result[str(choice["subContentId"])] = (SINGLE_CHOICE, choice)
    elif name == "H5P.QuestionSet":
        for question in params.get("questions") or []:
            if isinstance(question, Mapping) and question.get("subContentId"):
                result[str(question["subContentId"])] = (
                    str(question.get("library", "")),
                    question.get("params") or {},
                )
    return result


def find_sub_content(content: Any, sub_content_id: str) -> tuple[str, Mapping[str, Any]] | None:
    """Find ``{"library", "params", "subContentId"}`` anywhere in a content tree."""
    for node in _walk(content):
        if node.get("subContentId") == sub_content_id and isinstance(node.get("library"), str):
            return node["library"], node.get("params") or {}
    return None


def _walk(value: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        yield value
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


@dataclass(frozen=True)
class CompoundResult:
    score: Score
    server_items: int
    self_reported_items: int
    unanswered_items: int

    @property
    def fully_server_graded(self) -> bool:
        return self.self_reported_items == 0


def grade_compound(
    library: str,
    params: Mapping[str, Any],
    responses: Mapping[str, str | None],
    claimed: Mapping[str, Score] | None = None,
) -> CompoundResult | None:
    """Total of a compound activity from its children's responses.

    Children we can grade are graded here; the others count with their claimed score clamped
    to ``[0, max]`` (``max`` from content where we know it) and make the result self-reported.
    Unanswered children count 0 toward the maximum.
    """
    parts = children(library, params)
    if not parts:
        return None
    claimed = claimed or {}
    raw = total = 0.0
    server = self_reported = unanswered = 0
    for sub_id, (child_library, child_params) in parts.items():
        maximum = item_max(child_library, child_params)
        if sub_id not in responses:
            unanswered += 1
            if maximum is None:
                maximum = claimed[sub_id].max if sub_id in claimed else 0.0
            total += maximum
            continue
        graded = grade_item(child_library, child_params, responses[sub_id])
        if graded is not None:
            server += 1
            raw += graded.raw
            total += graded.max
            continue
        self_reported += 1
        claim = claimed.get(sub_id)
        child_max = maximum if maximum is not None else (claim.max if claim else 0.0)
        total += child_max
        if claim is not None:
            raw += min(max(claim.raw, 0.0), child_max)
    return CompoundResult(Score(raw, total), server, self_reported, unanswered)


def activity_max(library: str, params: Mapping[str, Any]) -> float | None:
    """Maximum score of a whole activity when our side knows it (None otherwise)."""
    name = machine_name(library)
    if name in COMPOUND_TYPES:
        total = 0.0
        for child_library, child_params in children(library, params).values():
            child_max = item_max(child_library, child_params)
            if child_max is None:
                return None
            total += child_max
        return total or None
    return item_max(library, params)


def clamp_claim(raw: float, minimum: float, maximum: float) -> float:
    return min(max(raw, minimum), maximum)
