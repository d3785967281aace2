"""Step two of the H5P intake: write a batch of prepared entries, in order, in one transaction.

The statements go into the statement store (``assessments.xapi.services.store``) like every
other statement; H5P keeps a link row per statement (``H5PStatement``: whose, which activity and
attempt), opens or continues attempts, files child answers as item responses and grades the
attempts the batch finishes. A fixed number of queries per batch, whatever its size.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.xapi.models import Statement
from assessments.xapi.services.store import NewStatement, statements_insert
from lms.bulk import rows_update

from ... import grading
from ...errors import StatementError
from ...models import H5PActivity, H5PActivityCompetency, H5PAttempt, H5PItemResponse, H5PStatement
from .finalise import child_of, finalise_all
from .prepare import (
    CONFLICT,
    GONE,
    INTERACTION_VERBS,
    LIMIT,
    REPLAY,
    STORED,
    Entry,
    Recorded,
    _canonical,
    _score_of,
    conflict_error,
    forbidden_error,
)

logger = logging.getLogger(__name__)


@dataclass
class Slot:
    """An attempt as the batch walks through it: an open one from the database or a new one."""

    attempt: H5PAttempt
    new: bool
    statements: int = 0  # stored so far, this batch included
    interactions: int = 0
    restarted: bool = False
    finishing: Entry | None = None
    planned: list[Entry] = field(default_factory=list)


def statements_store(entries: list[Entry], *, strict: bool) -> list[Recorded]:
    """Store ``entries`` (in the order received) in one transaction; one ``Recorded`` per entry.

    A statement id stored already is a replay (the same statement: a no-op) or a conflict (another
    statement); an attempt holding ``H5P_MAX_STATEMENTS_PER_ATTEMPT`` takes only its finishing
    statement; an activity deleted since the statement was accepted takes nothing. With ``strict``
    (the request waits for the write) these raise ``StatementError`` (409, 403) and nothing of the
    batch is written; without it (the queue's writer) they are logged and the rest is stored.

    Queries per batch, whatever its size: the ids already stored, the activities, the open
    attempts with their counts (locked when one finishes), then at most one write each for new
    attempts, statements, item responses, restarted clocks and finished attempts, plus the
    responses of finishing compound attempts.
    """
    if not entries:
        return []
    with transaction.atomic():
        outcomes: dict[int, tuple[str, int | None]] = {}
        fresh = _without_known_ids(entries, outcomes, strict=strict)
        slots = _plan(fresh, outcomes, strict=strict) if fresh else []
        if slots:
            _write(slots, outcomes, strict=strict)
    return [Recorded(entry.statement_id, *outcomes[id(entry)]) for entry in entries]


def _refuse(entry: Entry, error: StatementError, *, strict: bool) -> None:
    if strict:
        raise error
    logger.warning("xAPI statement %s of person %s not stored: %s", entry.statement_id, entry.person_id, error.code)


def _without_known_ids(entries: list[Entry], outcomes: dict, *, strict: bool) -> list[Entry]:
    """Drop replays and conflicts (ids stored already, or earlier in the batch); the rest, in order."""
    # An id the store holds for a statement that did not come through H5P (no link row, so no
    # person) is a conflict like any other.
    stored = {
        str(sid): (person_id, raw, attempt_id)
        for sid, person_id, raw, attempt_id in Statement.objects.filter(
            statement_id__in={e.statement_id for e in entries}
        ).values_list("statement_id", "h5p__person_id", "raw", "h5p__attempt_id")
    }
    earlier: dict[str, Entry] = {}
    fresh = []
    for entry in entries:
        known = stored.get(entry.statement_id)
        if known is None and entry.statement_id in earlier:
            known = (earlier[entry.statement_id].person_id, earlier[entry.statement_id].statement, None)
        if known is None:
            earlier[entry.statement_id] = entry
            fresh.append(entry)
        elif known[0] == entry.person_id and _canonical(known[1]) == _canonical(entry.statement):
            outcomes[id(entry)] = (REPLAY, known[2])
        else:
            _refuse(entry, conflict_error(), strict=strict)
            outcomes[id(entry)] = (CONFLICT, None)
    return fresh


# What ingestion reads of an activity and its package (content.json only to grade, see _content).
ACTIVITY_FIELDS = ("pass_mark", "package__sha256", "package__main_library", "package__max_score")


def _plan(entries: list[Entry], outcomes: dict, *, strict: bool) -> list[Slot]:
    """Walk the entries in order and give each its attempt: the learner's open one, else a new one
    (a finishing statement closes its attempt: what follows opens the next)."""
    # has_competencies: an attempt at an activity without competencies has no evidence to record
    # (finalise_all marks it done instead of queueing the evidence task).
    activities = (
        H5PActivity.objects.select_related("package")
        .only(*ACTIVITY_FIELDS)
        .annotate(has_competencies=Exists(H5PActivityCompetency.objects.filter(activity=OuterRef("pk"))))
    )
    activities = {a.pk: a for a in activities.filter(pk__in={e.activity_id for e in entries})}
    current = _open_attempts(entries, activities, lock=any(e.finishing for e in entries))
    limit = settings.H5P_MAX_STATEMENTS_PER_ATTEMPT
    slots: list[Slot] = list(current.values())
    for entry in entries:
        activity = activities.get(entry.activity_id)
        if activity is None:
            _refuse(entry, forbidden_error(GONE), strict=strict)
            outcomes[id(entry)] = (GONE, None)
            continue
        key = (entry.person_id, entry.activity_id)
        slot = current.get(key)
        if slot is None:
            attempt = H5PAttempt(person_id=entry.person_id, activity=activity, started_at=entry.received_at)
            slot = current[key] = Slot(attempt=attempt, new=True)
            slots.append(slot)
        elif slot.statements >= limit and not entry.finishing:
            message = _(
                "This attempt already has %(limit)d statements; finish the activity to start a new attempt."
            ) % {"limit": limit}
            _refuse(entry, StatementError(message, status=403, code=LIMIT), strict=strict)
            outcomes[id(entry)] = (LIMIT, slot.attempt.pk)
            continue
        elif entry.top_level and entry.verb == "attempted":
            # The player was opened again: restart the clock so a stale start cannot hide an
            # implausibly fast answer; the responses given so far stay with the attempt.
            slot.attempt.started_at = entry.received_at
            slot.restarted = not slot.new
        slot.planned.append(entry)
        slot.statements += 1
        slot.interactions += entry.verb in INTERACTION_VERBS
        if entry.finishing:
            slot.finishing = entry
            del current[key]
    return [slot for slot in slots if slot.planned]


def _open_attempts(entries: list[Entry], activities: dict, *, lock: bool) -> dict[tuple[int, int], Slot]:
    """Each learner's newest unfinished attempt at each activity of the batch, with its counts;
    with ``lock`` their rows stay locked until the transaction ends (an attempt finishes once)."""
    pairs = {(e.person_id, e.activity_id) for e in entries if e.activity_id in activities}
    if not pairs:
        return {}
    counted = H5PStatement.objects.filter(attempt=OuterRef("pk")).order_by().values("attempt")
    queryset = H5PAttempt.objects.select_for_update(of=("self",)) if lock else H5PAttempt.objects
    queryset = (
        queryset.filter(
            person_id__in={p for p, _a in pairs}, activity_id__in={a for _p, a in pairs}, completed_at__isnull=True
        )
        .annotate(
            n_statements=Coalesce(
                Subquery(counted.annotate(n=Count("id")).values("n")), 0, output_field=IntegerField()
            ),
            n_interactions=Coalesce(
                Subquery(counted.filter(verb__in=INTERACTION_VERBS).annotate(n=Count("id")).values("n")),
                0,
                output_field=IntegerField(),
            ),
        )
        .order_by("-started_at", "-id")
    )
    current: dict[tuple[int, int], Slot] = {}
    for attempt in queryset:
        key = (attempt.person_id, attempt.activity_id)
        if key in pairs and key not in current:
            attempt.activity = activities[attempt.activity_id]
            current[key] = Slot(
                attempt=attempt, new=False, statements=attempt.n_statements, interactions=attempt.n_interactions
            )
    return current


def _write(slots: list[Slot], outcomes: dict, *, strict: bool) -> None:
    H5PAttempt.objects.bulk_create([slot.attempt for slot in slots if slot.new])
    planned = [(slot, entry) for slot in slots for entry in slot.planned]
    inserted = statements_insert(
        [NewStatement(statement=entry.statement, person_id=entry.person_id) for _slot, entry in planned],
        stored=timezone.now(),
    )
    stored_rows: dict[int, H5PStatement] = {}
    for slot, entry in planned:
        row = inserted.get(entry.statement_id)
        if row is not None:
            outcomes[id(entry)] = (STORED, slot.attempt.pk)
            stored_rows[id(entry)] = H5PStatement(
                statement=row,
                person_id=entry.person_id,
                activity_id=entry.activity_id,
                attempt=slot.attempt,
                verb=entry.verb,
                top_level=entry.top_level,
                sub_content_id=entry.sub_content_id,
            )
    H5PStatement.objects.bulk_create(list(stored_rows.values()))
    missed = [entry for _slot, entry in planned if id(entry) not in stored_rows]
    if missed:  # stored by a concurrent request since we looked: a replay or a conflict after all
        for entry in _without_known_ids(missed, outcomes, strict=strict):  # not visible: treat as a conflict
            _refuse(entry, conflict_error(), strict=strict)
            outcomes[id(entry)] = (CONFLICT, None)
        emptied = [s.attempt.pk for s in slots if s.new and not any(id(e) in stored_rows for e in s.planned)]
        H5PAttempt.objects.filter(pk__in=emptied).delete()

    _item_responses(slots, stored_rows)
    restarted = [s.attempt for s in slots if s.restarted and not (s.finishing and id(s.finishing) in stored_rows)]
    if restarted:
        rows_update(H5PAttempt, restarted, ["started_at"])
    finishing = [s for s in slots if s.finishing is not None and id(s.finishing) in stored_rows]
    if finishing:
        finalise_all(finishing, stored_rows)


def _item_responses(slots: list[Slot], stored_rows: dict[int, H5PStatement]) -> None:
    """Child answers become item responses, graded where we can: one upsert for the batch, and a
    question answered again in the same attempt keeps only its latest answer."""
    items: dict[tuple[int, str], H5PItemResponse] = {}
    for slot in slots:
        for entry in slot.planned:
            row = stored_rows.get(id(entry))
            if row is None or entry.top_level or entry.verb != "answered" or not entry.sub_content_id:
                continue
            items[(slot.attempt.pk, entry.sub_content_id)] = _item(slot.attempt, row, entry)
    if items:
        H5PItemResponse.objects.bulk_create(
            list(items.values()),
            update_conflicts=True,
            unique_fields=["attempt", "sub_content_id"],
            update_fields=[
                "statement",
                "interaction_type",
                "response",
                "claimed_raw",
                "claimed_max",
                "server_raw",
                "server_max",
                "answered_at",
            ],
        )


def _item(attempt: H5PAttempt, row: H5PStatement, entry: Entry) -> H5PItemResponse:
    statement = entry.statement
    result = statement.get("result") or {}
    score = _score_of(result) or {}
    response = result.get("response")
    child = child_of(attempt.activity, entry.sub_content_id)
    graded = grading.grade_item(child[0], child[1], response) if child else None
    return H5PItemResponse(
        attempt=attempt,
        sub_content_id=entry.sub_content_id,
        statement=row,
        interaction_type=str((statement["object"].get("definition") or {}).get("interactionType") or "")[:40],
        response=response if isinstance(response, str) else "",
        claimed_raw=score.get("raw"),
        claimed_max=score.get("max"),
        server_raw=graded.raw if graded else None,
        server_max=graded.max if graded else None,
        answered_at=entry.received_at,
    )
