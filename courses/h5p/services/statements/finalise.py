"""Grading the attempts a batch of statements finishes (server-graded where we can)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from lms.bulk import rows_update

from ... import grading
from ...models import Grading, H5PActivity, H5PAttempt, H5PItemResponse, H5PPackage, H5PStatement
from ...tasks import attempts_evidence_task
from .prepare import (
    FLAG_CLAIM_CLAMPED,
    FLAG_CLAIM_DIFFERS,
    FLAG_NO_INTERACTIONS,
    FLAG_PARTLY_SELF_REPORTED,
    FLAG_TOO_FAST,
    INTERACTION_VERBS,
    _score_of,
)

if TYPE_CHECKING:
    from .store import Slot


def child_of(activity: H5PActivity, sub_content_id: str) -> tuple[str, Any] | None:
    package = activity.package
    content = _content(package)
    parts = grading.children(package.main_library, content)
    if sub_content_id in parts:
        return parts[sub_content_id]
    return grading.find_sub_content(content, sub_content_id)


@lru_cache(maxsize=64)
def _package_content(package_id: int, sha256: str) -> dict:
    """A package's content.json, kept per process: a package is stored once per content hash and
    never changes, so (id, hash) always names the same content. Callers only read it."""
    return H5PPackage.objects.values_list("content", flat=True).get(pk=package_id)


def _content(package: H5PPackage) -> dict:
    return _package_content(package.pk, package.sha256)


FINAL_FIELDS = [
    "started_at",
    "completed_at",
    "score_raw",
    "score_max",
    "claimed_raw",
    "claimed_max",
    "passed",
    "grading",
    "flags",
    "statements",
    "interactions",
]


def finalise_all(slots: list[Slot], stored_rows: dict[int, H5PStatement]) -> None:
    """Grade the attempts the batch finishes (their responses in one read) and save them at once;
    their competency evidence is queued for when the transaction commits."""
    responses: dict[int, list[H5PItemResponse]] = defaultdict(list)
    for item in H5PItemResponse.objects.filter(attempt__in=[s.attempt.pk for s in slots]).only(
        "attempt_id", "sub_content_id", "response", "claimed_raw", "claimed_max"
    ):
        responses[item.attempt_id].append(item)
    for slot in slots:
        missed = sum(id(entry) not in stored_rows for entry in slot.planned)  # taken by a concurrent request
        _finalise(slot, responses[slot.attempt.pk], statements=slot.statements - missed)
    attempts = [slot.attempt for slot in slots]
    # An activity without competencies gives no evidence: its attempts are marked done here, in the
    # same UPDATE, instead of costing a task (run inside the request when there is no broker) that
    # would find nothing to record. A competency linked later is applied to every finished attempt
    # by activity_results_recompute (activity_scoring_changed), whatever this mark says.
    with_evidence = []
    for attempt in attempts:
        if getattr(attempt.activity, "has_competencies", True):
            with_evidence.append(attempt.pk)
        else:
            attempt.evidence_recorded_at = attempt.completed_at
    rows_update(H5PAttempt, attempts, [*FINAL_FIELDS, "evidence_recorded_at"])
    # Competency evidence (and the score refresh behind it) is recorded by one task for the batch
    # once this commits: nobody waits for it; a lost message is picked up by the sweep.
    if with_evidence:
        transaction.on_commit(partial(attempts_evidence_task.delay, with_evidence))


def _finalise(slot: Slot, items: list[H5PItemResponse], *, statements: int) -> None:
    attempt, entry = slot.attempt, slot.finishing
    activity = attempt.activity
    package = activity.package
    result = entry.statement.get("result") or {}
    claim = _score_of(result) or {}
    flags: list[str] = []
    claimed_raw, claimed_max = claim.get("raw"), claim.get("max")
    library = package.main_library
    server_score: grading.Score | None = None
    grading_kind = Grading.SELF

    if library in grading.COMPOUND_TYPES:
        responses = {item.sub_content_id: item.response for item in items}
        claims = {
            item.sub_content_id: grading.Score(item.claimed_raw or 0.0, item.claimed_max or 0.0)
            for item in items
            if item.claimed_max is not None
        }
        compound = grading.grade_compound(library, _content(package), responses, claims)
        if compound is not None:
            server_score = compound.score
            if compound.fully_server_graded:
                grading_kind = Grading.SERVER
            else:
                flags.append(FLAG_PARTLY_SELF_REPORTED)
    elif library in grading.ITEM_TYPES:
        server_score = grading.grade_item(library, _content(package), result.get("response"))
        if server_score is not None:
            grading_kind = Grading.SERVER

    if server_score is None:
        # Self-reported: clamp the claim into [min, max], with max from our side where we know it.
        maximum = float(package.max_score) if package.max_score else None
        if maximum is None:
            maximum = float(claimed_max) if claimed_max is not None else (1.0 if "scaled" in claim else None)
        minimum = float(claim.get("min", 0) or 0)
        if claimed_raw is not None:
            raw = float(claimed_raw)
        elif "scaled" in claim and maximum is not None:
            raw = float(claim["scaled"]) * maximum
        else:
            raw = 0.0
        if maximum is None:
            maximum = max(raw, 1.0)
        clamped = grading.clamp_claim(raw, max(minimum, 0.0), maximum)
        if clamped != raw or (claimed_max is not None and float(claimed_max) != maximum):
            flags.append(FLAG_CLAIM_CLAMPED)
        server_score = grading.Score(clamped, maximum)
    elif claimed_raw is not None and (
        float(claimed_raw) != server_score.raw or (claimed_max is not None and float(claimed_max) != server_score.max)
    ):
        flags.append(FLAG_CLAIM_DIFFERS)

    attempt.statements, attempt.interactions = statements, slot.interactions
    interactions_before = slot.interactions - (1 if entry.verb in INTERACTION_VERBS else 0)
    if interactions_before <= 0 and not items and grading_kind == Grading.SELF:
        flags.append(FLAG_NO_INTERACTIONS)
    min_seconds = getattr(settings, "H5P_MIN_PLAUSIBLE_SECONDS", 3)
    now = entry.received_at
    if server_score.raw > 0 and now - attempt.started_at < timedelta(seconds=min_seconds):
        flags.append(FLAG_TOO_FAST)

    attempt.score_raw = server_score.raw
    attempt.score_max = server_score.max
    attempt.claimed_raw = float(claimed_raw) if claimed_raw is not None else None
    attempt.claimed_max = float(claimed_max) if claimed_max is not None else None
    attempt.grading = grading_kind
    attempt.flags = sorted(set(attempt.flags) | set(flags))
    attempt.passed = (100 * server_score.raw / server_score.max >= activity.pass_mark) if server_score.max else None
    attempt.completed_at = now
