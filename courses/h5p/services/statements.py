"""xAPI intake for H5P: store each statement once, keep the learner's attempt up to date.

The learner's browser relays what H5P emits; none of it is trusted. The actor is replaced by
the signed-in person, the activity must be one they may play, and the final score of a type we
can grade is recomputed from ``content.json`` and the responses, whatever the statement claims.

Two steps, so the request can be answered before the write (see ``intake``):

- ``statement_prepare`` validates one statement for the signed-in learner and returns an
  ``Entry``: the statement as it will be stored, with what the writer needs to file it. It runs in
  the request and raises ``StatementError`` (400, 403) for anything we refuse.
- ``statements_store`` writes a batch of entries, in order, in one transaction and a fixed number
  of queries per batch: the statements, the attempts they open or continue, item responses for
  child answers, and the final grading of attempts they finish.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache, partial
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from assessments import xapi
from lms.policy import can

from .. import grading
from ..errors import StatementError
from ..models import Grading, H5PActivity, H5PAttempt, H5PItemResponse, H5PPackage, H5PStatement
from ..tasks import attempts_evidence_task

logger = logging.getLogger(__name__)

ACTIVITY_PATH_RE = re.compile(r"^/h5p/activities/(\d+)/?$")
SUBCONTENT_EXT = "http://h5p.org/x-api/h5p-subContentId"
VERB_PREFIX = "http://adlnet.gov/expapi/verbs/"
FINAL_VERBS = frozenset({"completed", "answered"})
INTERACTION_VERBS = frozenset({"interacted", "answered"})

# Flags shown to trainers next to an attempt.
FLAG_NO_INTERACTIONS = "no_interactions"
FLAG_TOO_FAST = "too_fast"
FLAG_CLAIM_DIFFERS = "claimed_score_differs"
FLAG_CLAIM_CLAMPED = "claimed_score_clamped"
FLAG_PARTLY_SELF_REPORTED = "partly_self_reported"

# What became of an entry in ``statements_store``.
STORED, REPLAY, CONFLICT, LIMIT, GONE = "stored", "replay", "conflict", "limit", "gone"


@dataclass(frozen=True)
class Entry:
    """One validated statement of one learner, ready to store (and what the queue carries)."""

    statement_id: str
    person_id: int
    activity_id: int
    sub_content_id: str
    verb: str
    top_level: bool
    finishing: bool  # a top-level completed/answered with a score: it grades and closes the attempt
    received_at: datetime
    statement: dict

    @property
    def digest(self) -> str:
        """Names the statement's content: the same id with another digest is a conflict."""
        return hashlib.blake2b(_canonical(self.statement).encode(), digest_size=16).hexdigest()

    def to_json(self) -> dict:
        return {
            "id": self.statement_id,
            "person": self.person_id,
            "activity": self.activity_id,
            "sub": self.sub_content_id,
            "verb": self.verb,
            "top": self.top_level,
            "fin": self.finishing,
            "at": self.received_at.isoformat(),
            "s": self.statement,
        }

    @classmethod
    def from_json(cls, data: dict) -> Entry:
        return cls(
            statement_id=data["id"],
            person_id=data["person"],
            activity_id=data["activity"],
            sub_content_id=data["sub"],
            verb=data["verb"],
            top_level=data["top"],
            finishing=data["fin"],
            received_at=parse_datetime(data["at"]),
            statement=data["s"],
        )


@dataclass(frozen=True)
class Recorded:
    """What became of one entry: ``outcome`` is STORED, REPLAY, CONFLICT, LIMIT or GONE."""

    statement_id: str
    outcome: str
    attempt_id: int | None


def actor_for(person, home_page: str) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": person.full_name,
        "account": {"homePage": home_page, "name": person.employee_number},
    }


def activity_id_from_iri(iri: Any) -> tuple[int | None, str]:
    """``https://host/h5p/activities/7?subContentId=x`` -> ``(7, "x")``; ``(None, "")`` if not ours."""
    if not isinstance(iri, str):
        return None, ""
    try:
        parts = urlsplit(iri)
    except ValueError:
        return None, ""
    match = ACTIVITY_PATH_RE.match(parts.path)
    if parts.scheme not in ("http", "https") or not match:
        return None, ""
    sub = parse_qs(parts.query).get("subContentId", [""])[0]
    return int(match.group(1)), sub[:64]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _verb_name(statement: dict) -> str:
    verb_id = statement["verb"]["id"]
    return verb_id[len(VERB_PREFIX) :] if verb_id.startswith(VERB_PREFIX) else verb_id


def _parents(statement: dict) -> list[dict]:
    parents = (statement.get("context") or {}).get("contextActivities", {}).get("parent")
    if parents is None:
        return []
    return parents if isinstance(parents, list) else [parents]


def _problems_text(problems: list[xapi.Problem], limit: int = 3) -> str:
    text = "; ".join(str(p) for p in problems[:limit])
    if len(problems) > limit:
        text += _(" (and %(count)d more)") % {"count": len(problems) - limit}
    return text


def _score_of(result: dict | None) -> dict | None:
    score = (result or {}).get("score")
    return score if isinstance(score, dict) else None


def statement_prepare(*, user, person, statement: Any, home_page: str, now: datetime | None = None) -> Entry:
    """Validate one statement sent by ``person`` (signed in as ``user``); nothing is written.

    Raises ``StatementError``: 400 malformed, 403 not an activity they may play. The access check
    is cached per learner and activity (``selectors.activity_playable``), so this runs no query
    for a learner already playing the activity.
    """
    if not isinstance(statement, dict):
        raise StatementError(_("A statement must be a JSON object."))
    statement = dict(statement)
    statement["actor"] = actor_for(person, home_page)
    for key in ("stored", "authority"):  # set by the LRS, never by the client
        statement.pop(key, None)
    statement["id"] = statement.get("id") or str(uuid.uuid4())
    problems = xapi.validate_statement(statement)
    if problems:
        raise StatementError(_("Invalid statement: %(problems)s") % {"problems": _problems_text(problems)})
    statement_id = str(uuid.UUID(statement["id"]))

    obj = statement["object"]
    if obj.get("objectType", "Activity") != "Activity":
        raise StatementError(_("The statement's object must be an H5P activity of this site."))
    activity_pk, sub_content_id = activity_id_from_iri(obj["id"])
    if activity_pk is None:
        raise StatementError(_("object.id is not an H5P activity of this site."))
    parents = _parents(statement)
    for parent in parents:
        parent_pk, _sub = activity_id_from_iri(parent.get("id"))
        if parent_pk != activity_pk:
            raise StatementError(_("The parent activity does not belong to the statement's activity."))
    if not sub_content_id:
        ext = (obj.get("definition") or {}).get("extensions") or {}
        sub_content_id = str(ext.get(SUBCONTENT_EXT) or "")[:64] if parents else ""
    # The rule needs only the activity's identity (the lessons that place it, from Wagtail's
    # reference index); an id that names no activity is placed in no lesson and is refused.
    if not can(user, "h5p.play", H5PActivity(pk=activity_pk)):
        raise forbidden_error()

    verb = _verb_name(statement)
    top_level = not parents
    return Entry(
        statement_id=statement_id,
        person_id=person.pk,
        activity_id=activity_pk,
        sub_content_id=sub_content_id,
        verb=verb[:255],
        top_level=top_level,
        finishing=top_level and verb in FINAL_VERBS and _score_of(statement.get("result")) is not None,
        received_at=now or timezone.now(),
        statement=statement,
    )


def statement_record(*, user, person, statement: Any, home_page: str, now: datetime | None = None) -> Recorded:
    """Validate and store one statement at once (``statement_prepare`` + ``statements_store``)."""
    entry = statement_prepare(user=user, person=person, statement=statement, home_page=home_page, now=now)
    return statements_store([entry], strict=True)[0]


@dataclass
class _Slot:
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


def conflict_error() -> StatementError:
    return StatementError(_("A different statement with this id is already stored."), status=409, code=CONFLICT)


def forbidden_error(code: str = "forbidden") -> StatementError:
    return StatementError(_("You may not send statements about this activity."), status=403, code=code)


def _without_known_ids(entries: list[Entry], outcomes: dict, *, strict: bool) -> list[Entry]:
    """Drop replays and conflicts (ids stored already, or earlier in the batch); the rest, in order."""
    stored = {
        str(sid): (person_id, raw, attempt_id)
        for sid, person_id, raw, attempt_id in H5PStatement.objects.filter(
            statement_id__in={e.statement_id for e in entries}
        ).values_list("statement_id", "person_id", "raw", "attempt_id")
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


def _plan(entries: list[Entry], outcomes: dict, *, strict: bool) -> list[_Slot]:
    """Walk the entries in order and give each its attempt: the learner's open one, else a new one
    (a finishing statement closes its attempt: what follows opens the next)."""
    activities = H5PActivity.objects.select_related("package").only(*ACTIVITY_FIELDS)
    activities = {a.pk: a for a in activities.filter(pk__in={e.activity_id for e in entries})}
    current = _open_attempts(entries, activities, lock=any(e.finishing for e in entries))
    limit = settings.H5P_MAX_STATEMENTS_PER_ATTEMPT
    slots: list[_Slot] = list(current.values())
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
            slot = current[key] = _Slot(attempt=attempt, new=True)
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


def _open_attempts(entries: list[Entry], activities: dict, *, lock: bool) -> dict[tuple[int, int], _Slot]:
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
    current: dict[tuple[int, int], _Slot] = {}
    for attempt in queryset:
        key = (attempt.person_id, attempt.activity_id)
        if key in pairs and key not in current:
            attempt.activity = activities[attempt.activity_id]
            current[key] = _Slot(
                attempt=attempt, new=False, statements=attempt.n_statements, interactions=attempt.n_interactions
            )
    return current


def _write(slots: list[_Slot], outcomes: dict, *, strict: bool) -> None:
    H5PAttempt.objects.bulk_create([slot.attempt for slot in slots if slot.new])
    planned = [(slot, entry) for slot in slots for entry in slot.planned]
    rows = [
        H5PStatement(
            statement_id=entry.statement_id,
            person_id=entry.person_id,
            activity_id=entry.activity_id,
            attempt=slot.attempt,
            verb=entry.verb,
            top_level=entry.top_level,
            sub_content_id=entry.sub_content_id,
            raw=entry.statement,
        )
        for slot, entry in planned
    ]
    inserted = _insert_new(rows)
    stored_rows: dict[int, H5PStatement] = {}
    for (slot, entry), row in zip(planned, rows, strict=True):
        if row.pk in inserted:
            outcomes[id(entry)] = (STORED, slot.attempt.pk)
            stored_rows[id(entry)] = row
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
        H5PAttempt.objects.bulk_update(restarted, ["started_at"])
    finishing = [s for s in slots if s.finishing is not None and id(s.finishing) in stored_rows]
    if finishing:
        _finalise_all(finishing, stored_rows)


def _insert_new(rows: list[H5PStatement]) -> set[int]:
    """Insert ``rows`` except those whose statement id is taken: one ``INSERT ... ON CONFLICT DO
    NOTHING RETURNING`` (PostgreSQL, SQLite 3.35+). Sets each inserted row's pk; returns the pks."""
    connection = connections[router.db_for_write(H5PStatement)]
    meta = H5PStatement._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    by_id = {_uuid(row.statement_id): row for row in rows}
    inserted = set()
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start : start + INSERT_CHUNK]
        values = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for row in chunk for f in fields]
        # Only names from the model are formatted in; every value is bound.
        sql = (
            f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
            f"VALUES {', '.join([row_sql] * len(chunk))} "
            f"ON CONFLICT ({qn('statement_id')}) DO NOTHING RETURNING {qn(meta.pk.column)}, {qn('statement_id')}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            returned = cursor.fetchall()
        for pk, statement_id in returned:
            row = by_id[_uuid(statement_id)]
            row.pk = pk
            row._state.adding = False
            inserted.add(pk)
    return inserted


INSERT_CHUNK = 1000  # rows per INSERT: well inside PostgreSQL's and SQLite's limits on bound values


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _item_responses(slots: list[_Slot], stored_rows: dict[int, H5PStatement]) -> None:
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
    child = _child(attempt.activity, entry.sub_content_id)
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


def _child(activity: H5PActivity, sub_content_id: str) -> tuple[str, Any] | None:
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


def _finalise_all(slots: list[_Slot], stored_rows: dict[int, H5PStatement]) -> None:
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
    H5PAttempt.objects.bulk_update(attempts, FINAL_FIELDS)
    # Competency evidence (and the score refresh behind it) is recorded by one task for the batch
    # once this commits: nobody waits for it; a lost message is picked up by the sweep.
    transaction.on_commit(partial(attempts_evidence_task.delay, [attempt.pk for attempt in attempts]))


def _finalise(slot: _Slot, items: list[H5PItemResponse], *, statements: int) -> None:
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
