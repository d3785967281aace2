"""Question snapshots as plain data: build the grading key, the learner's view (no key) and the review.

A snapshot is a dict (stored in ``QuestionVersion.snapshot``)::

    {"kind", "stem", "points", "language", "feedback", "partial",
     "choices": [{"id", "text", "match", "feedback", "correct"}],
     "true_false", "numeric": {"answer", "tolerance"}, "accepted": [...], "accent_insensitive",
     "competencies": {"<competency id>": weight}}

Choice ids are strings. For matching questions each choice is a prompt whose target has the same id.
"""

from __future__ import annotations

from typing import Any

from assessments.scoring import grading
from assessments.scoring.grading import Key


def key_from_snapshot(snap: dict) -> Key:
    kind = snap["kind"]
    choices = tuple(c["id"] for c in snap.get("choices", []))
    common = {"kind": kind, "max_points": float(snap.get("points", 1.0)), "partial": bool(snap.get("partial", True))}
    if kind == grading.SINGLE:
        correct = next((c["id"] for c in snap["choices"] if c.get("correct")), None)
        return Key(correct=correct, choices=choices, **common)
    if kind == grading.MULTIPLE:
        return Key(correct=[c["id"] for c in snap["choices"] if c.get("correct")], choices=choices, **common)
    if kind == grading.TRUE_FALSE:
        return Key(correct=bool(snap.get("true_false")), **common)
    if kind == grading.NUMERIC:
        numeric = snap.get("numeric") or {}
        return Key(correct=float(numeric.get("answer") or 0), tolerance=float(numeric.get("tolerance") or 0), **common)
    if kind == grading.SHORT_TEXT:
        return Key(
            accepted=tuple(snap.get("accepted", ())),
            accent_insensitive=bool(snap.get("accent_insensitive")),
            **common,
        )
    if kind == grading.MATCHING:
        return Key(correct={cid: cid for cid in choices}, choices=choices, targets=choices, **common)
    if kind == grading.ORDERING:
        return Key(correct=list(choices), choices=choices, **common)
    raise ValueError(f"unknown question kind {kind!r}")


def competencies_of(snap: dict) -> dict[int, float]:
    return {int(k): float(v) for k, v in (snap.get("competencies") or {}).items()}


def learner_view(snap: dict, *, choice_order: list[str], target_order: list[str]) -> dict[str, Any]:
    """What the learner may see while answering: never ``correct``, ``feedback`` or accepted answers."""
    by_id = {c["id"]: c for c in snap.get("choices", [])}
    kind = snap["kind"]
    view: dict[str, Any] = {"kind": kind, "stem": snap["stem"], "points": snap.get("points", 1.0)}
    order = choice_order or list(by_id)
    if kind in (grading.SINGLE, grading.MULTIPLE, grading.ORDERING, grading.MATCHING):
        view["choices"] = [{"id": cid, "text": by_id[cid]["text"]} for cid in order if cid in by_id]
    if kind == grading.MATCHING:
        targets = target_order or list(by_id)
        view["targets"] = [{"id": cid, "text": by_id[cid]["match"]} for cid in targets if cid in by_id]
    return view


def correct_answer(snap: dict) -> Any:
    """The key in the same shape as a response (for the review)."""
    key = key_from_snapshot(snap)
    if key.kind == grading.SHORT_TEXT:
        return list(key.accepted)
    if key.kind == grading.NUMERIC:
        return {"answer": key.correct, "tolerance": key.tolerance}
    return key.correct


def feedback_for(snap: dict, response: Any) -> dict[str, Any]:
    """General feedback plus the feedback of each choice the learner picked."""
    picked: set[str] = set()
    if isinstance(response, str):
        picked = {response}
    elif isinstance(response, list):
        picked = {str(r) for r in response}
    per_choice = {c["id"]: c["feedback"] for c in snap.get("choices", []) if c.get("feedback") and c["id"] in picked}
    return {"general": snap.get("feedback", ""), "choices": per_choice}
