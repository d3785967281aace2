"""Question snapshots as plain data: build the grading key, the learner's view (no key) and the review.

A snapshot is a dict (stored in ``QuestionVersion.snapshot``)::

    {"kind", "stem", "points", "language", "feedback", "partial",
     "choices": [{"id", "text", "match", "feedback", "correct"}],
     "true_false", "numeric": {"answer", "tolerance"}, "accepted": [...], "accent_insensitive",
     "competencies": {"<competency id>": weight}}

Choice ids are strings. For matching questions each choice is a prompt whose target has the same id.

The learner never sees the ids that reveal the key: matching targets and ordering items are shown with
per-attempt opaque ids (``t1``…, ``c1``… by their shuffled position stored on the attempt item), and
responses are translated back to the real ids (:func:`response_from_learner`) before they are stored
and graded, and forward again (:func:`to_learner`) when shown.
"""

from __future__ import annotations

from dataclasses import replace
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


class Masks:
    """Real id → the learner's opaque id for choices and matching targets of one attempt item.

    Ordering items become ``c1``… and matching targets ``t1``… in the order shown to this learner (the
    per-attempt shuffle stored on the attempt item), so the ids carry nothing the screen does not show
    and stay the same for the whole attempt. Other ids (single/multiple choices, matching prompts) are
    not masked: they reveal nothing.
    """

    def __init__(self, snap: dict, *, choice_order: list[str], target_order: list[str]):
        ids = [c["id"] for c in snap.get("choices", [])]
        kind = snap["kind"]
        self.choices: dict[str, str] = {cid: cid for cid in ids}
        self.targets: dict[str, str] = {cid: cid for cid in ids}
        if kind == grading.ORDERING:
            order = [cid for cid in (choice_order or ids) if cid in self.choices]
            self.choices = {cid: f"c{n}" for n, cid in enumerate(order, start=1)}
        if kind == grading.MATCHING:
            order = [cid for cid in (target_order or ids) if cid in self.targets]
            self.targets = {cid: f"t{n}" for n, cid in enumerate(order, start=1)}
        self.kind = kind

    def choice(self, cid: Any) -> Any:
        return self.choices.get(str(cid), cid)

    def target(self, cid: Any) -> Any:
        return self.targets.get(str(cid), cid)


def masks_for(item) -> Masks:
    """The masks of an ``AttemptQuestion`` (its version and stored display orders)."""
    return Masks(item.version.snapshot, choice_order=item.choice_order, target_order=item.target_order)


def learner_view(snap: dict, *, choice_order: list[str], target_order: list[str]) -> dict[str, Any]:
    """What the learner may see while answering: never ``correct``, ``feedback`` or accepted answers."""
    by_id = {c["id"]: c for c in snap.get("choices", [])}
    kind = snap["kind"]
    masks = Masks(snap, choice_order=choice_order, target_order=target_order)
    view: dict[str, Any] = {
        "kind": kind,
        "stem": snap["stem"],
        "points": snap.get("points", 1.0),
        "language": snap.get("language", "vi"),
    }
    order = choice_order or list(by_id)
    if kind in (grading.SINGLE, grading.MULTIPLE, grading.ORDERING, grading.MATCHING):
        view["choices"] = [{"id": masks.choice(cid), "text": by_id[cid]["text"]} for cid in order if cid in by_id]
    if kind == grading.MATCHING:
        targets = target_order or list(by_id)
        view["targets"] = [{"id": masks.target(cid), "text": by_id[cid]["match"]} for cid in targets if cid in by_id]
    return view


def to_learner(masks: Masks, value: Any) -> Any:
    """A response or key in real ids → the same in the learner's opaque ids (for showing it back)."""
    if value is None:
        return None
    if masks.kind == grading.MATCHING and isinstance(value, dict):
        return {masks.choice(p): masks.target(t) for p, t in value.items()}
    if masks.kind == grading.ORDERING and isinstance(value, list):
        return [masks.choice(v) for v in value]
    return value


def response_from_learner(snap: dict, masks: Masks, raw: Any) -> Any:
    """Check a learner's response (in opaque ids) and return it normalised, in real ids.

    Raises :class:`grading.ResponseError` for a bad shape or an id the learner was not given, including
    a real (unmasked) id.
    """
    key = key_from_snapshot(snap)
    if key.kind not in (grading.MATCHING, grading.ORDERING):
        return grading.parse_response(key, raw)
    choice_real = {opaque: real for real, opaque in masks.choices.items()}
    target_real = {opaque: real for real, opaque in masks.targets.items()}
    learner_key = replace(
        key,
        choices=tuple(masks.choice(c) for c in key.choices),
        targets=tuple(masks.target(t) for t in key.targets),
    )
    parsed = grading.parse_response(learner_key, raw)
    if parsed is None:
        return None
    if key.kind == grading.MATCHING:
        real = {choice_real[p]: target_real[t] for p, t in parsed.items()}
    else:
        real = [choice_real[v] for v in parsed]
    return grading.parse_response(key, real)


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
