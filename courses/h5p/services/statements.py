"""xAPI intake for H5P: store each statement once, keep the learner's attempt up to date.

The learner's browser relays what H5P emits; none of it is trusted. The actor is replaced by
the signed-in person, the activity must be one they may play, and the final score of a type we
can grade is recomputed from ``content.json`` and the responses, whatever the statement claims.
"""

from __future__ import annotations

import json
import re
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache, partial
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import xapi
from lms.policy import can

from .. import grading
from ..errors import StatementError
from ..models import Grading, H5PActivity, H5PAttempt, H5PItemResponse, H5PPackage, H5PStatement
from ..tasks import attempt_evidence_task

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


@dataclass(frozen=True)
class Recorded:
    statement_id: str
    created: bool
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


def statement_record(*, user, person, statement: Any, home_page: str, now: datetime | None = None) -> Recorded:
    """Validate and store one statement for ``person`` (signed in as ``user``).

    Raises ``StatementError`` with the xAPI status: 400 malformed, 403 not theirs to send,
    409 the id is taken by a different statement. A replay of a stored statement is a no-op.
    A statement that finishes an attempt is graded in a transaction (a savepoint inside a caller's
    transaction: the view wraps a batch, all or nothing); any other is a single write.
    """
    now = now or timezone.now()
    if not isinstance(statement, dict):
        raise StatementError(_("A statement must be a JSON object."))
    statement = dict(statement)
    statement["actor"] = actor_for(person, home_page)
    for key in ("stored", "authority"):  # set by the LRS, never by the client
        statement.pop(key, None)
    statement_id = statement.get("id") or str(uuid.uuid4())
    statement["id"] = statement_id
    problems = xapi.validate_statement(statement)
    if problems:
        raise StatementError(_("Invalid statement: %(problems)s") % {"problems": _problems_text(problems)})

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

    verb = _verb_name(statement)
    top_level = not parents
    finishing = top_level and verb in FINAL_VERBS and _score_of(statement.get("result")) is not None
    # One read gives the open attempt with its activity (content.json is only read to grade). A
    # statement that finishes the attempt takes it under a row lock, in a transaction, and grades
    # it; any other is one INSERT (plus, for the first of an attempt, the attempt's).
    with transaction.atomic() if finishing else nullcontext():
        open_attempt = _open_attempt(person, activity_pk, lock=finishing)
        activity = open_attempt.activity if open_attempt is not None else _activity(activity_pk)
        if activity is None or not can(user, "h5p.play", activity):
            raise StatementError(_("You may not send statements about this activity."), status=403, code="forbidden")
        attempt, created = open_attempt, open_attempt is None
        if created:
            attempt = H5PAttempt.objects.create(person=person, activity=activity)
        if top_level and verb == "attempted" and not created:
            # The player was opened again: restart the clock so a stale start cannot hide an
            # implausibly fast answer; the responses given so far stay with the attempt.
            H5PAttempt.objects.filter(pk=attempt.pk).update(started_at=now)
            attempt.started_at = now
        stored = H5PStatement(
            statement_id=statement_id,
            person=person,
            activity=activity,
            attempt=attempt,
            verb=verb[:255],
            top_level=top_level,
            sub_content_id=sub_content_id,
            raw=statement,
        )
        limit = None if finishing or created else settings.H5P_MAX_STATEMENTS_PER_ATTEMPT
        inserted = _insert_new(stored, attempt_limit=limit)
        if inserted:
            if not top_level and verb == "answered" and sub_content_id:
                _record_item(attempt, stored, activity, sub_content_id, statement)
            if finishing:
                _finalise(attempt, activity, statement, now)
        elif created:  # nothing new arrived: leave no empty attempt behind
            attempt.delete()
    if inserted:
        return Recorded(statement_id, True, attempt.pk)
    # Outside the transaction: a refusal here must not spoil a batch's (or a caller's) transaction.
    existing = H5PStatement.objects.filter(statement_id=statement_id).first()
    if existing is not None:
        return _replay(existing, person, statement)
    raise StatementError(
        _("This attempt already has %(limit)d statements; finish the activity to start a new attempt.")
        % {"limit": limit},
        status=403,
        code="limit",
    )


# What ingestion reads of an activity and its package (content.json only to grade, see _content).
ACTIVITY_FIELDS = ("pass_mark", "package__sha256", "package__main_library", "package__max_score")


def _activity(activity_pk: int) -> H5PActivity | None:
    return H5PActivity.objects.select_related("package").only(*ACTIVITY_FIELDS).filter(pk=activity_pk).first()


def _open_attempt(person, activity_pk: int, *, lock: bool = False) -> H5PAttempt | None:
    """The learner's newest unfinished attempt at the activity, with the activity and its package;
    with ``lock``, the attempt's row is locked until the transaction ends."""
    queryset = H5PAttempt.objects.select_for_update(of=("self",)) if lock else H5PAttempt.objects
    attempt = (
        queryset.select_related("activity__package")
        .only(*(f.name for f in H5PAttempt._meta.concrete_fields), *(f"activity__{f}" for f in ACTIVITY_FIELDS))
        .filter(person=person, activity_id=activity_pk, completed_at__isnull=True)
        .order_by("-started_at", "-id")
        .first()
    )
    if attempt is not None:
        attempt.person = person  # already loaded: spare the lazy load
    return attempt


def _insert_new(stored: H5PStatement, *, attempt_limit: int | None = None) -> bool:
    """Store ``stored`` unless its statement id is taken or (with ``attempt_limit``) its attempt
    already holds that many statements: one ``INSERT ... SELECT ... WHERE ... ON CONFLICT DO
    NOTHING`` (PostgreSQL, SQLite 3.35+) instead of look-ups before every insert. True if stored."""
    connection = connections[router.db_for_write(H5PStatement)]
    meta = H5PStatement._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(stored, add=True), connection) for f in fields]
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    unique, pk, attempt_col = qn("statement_id"), qn(meta.pk.column), qn(meta.get_field("attempt").column)
    condition = "1 = 1"
    if attempt_limit is not None:
        condition = f"(SELECT COUNT(*) FROM {table} WHERE {attempt_col} = %s) < %s"  # noqa: S608
        values += [stored.attempt_id, attempt_limit]
    # Only names from the model are formatted in; every value is bound.
    sql = f"INSERT INTO {table} ({columns}) SELECT {placeholders} WHERE {condition} ON CONFLICT ({unique}) DO NOTHING RETURNING {pk}"  # noqa: S608, E501
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    stored.pk = row[0]
    stored._state.adding = False
    return True


def _replay(existing: H5PStatement, person, statement: dict) -> Recorded:
    """The id is stored already: the same statement again is a no-op, a different one a conflict."""
    if existing.person_id == person.pk and _canonical(existing.raw) == _canonical(statement):
        return Recorded(str(statement["id"]), False, existing.attempt_id)
    raise StatementError(_("A different statement with this id is already stored."), status=409, code="conflict")


def _child(activity: H5PActivity, sub_content_id: str) -> tuple[str, Any] | None:
    package = activity.package
    content = _content(package)
    parts = grading.children(package.main_library, content)
    if sub_content_id in parts:
        return parts[sub_content_id]
    return grading.find_sub_content(content, sub_content_id)


def _record_item(attempt, stored, activity, sub_content_id: str, statement: dict) -> None:
    result = statement.get("result") or {}
    score = _score_of(result) or {}
    response = result.get("response")
    child = _child(activity, sub_content_id)
    graded = grading.grade_item(child[0], child[1], response) if child else None
    item = H5PItemResponse(
        attempt=attempt,
        sub_content_id=sub_content_id,
        statement=stored,
        interaction_type=str((statement["object"].get("definition") or {}).get("interactionType") or "")[:40],
        response=response if isinstance(response, str) else "",
        claimed_raw=score.get("raw"),
        claimed_max=score.get("max"),
        server_raw=graded.raw if graded else None,
        server_max=graded.max if graded else None,
        answered_at=timezone.now(),
    )
    # One upsert: a question answered again in the same attempt keeps only its latest answer.
    H5PItemResponse.objects.bulk_create(
        [item],
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


@lru_cache(maxsize=64)
def _package_content(package_id: int, sha256: str) -> dict:
    """A package's content.json, kept per process: a package is stored once per content hash and
    never changes, so (id, hash) always names the same content. Callers only read it."""
    return H5PPackage.objects.values_list("content", flat=True).get(pk=package_id)


def _content(package: H5PPackage) -> dict:
    return _package_content(package.pk, package.sha256)


def _finalise(attempt: H5PAttempt, activity: H5PActivity, statement: dict, now: datetime) -> None:
    package = activity.package
    result = statement.get("result") or {}
    claim = _score_of(result) or {}
    flags: list[str] = []
    claimed_raw, claimed_max = claim.get("raw"), claim.get("max")
    library = package.main_library
    server_score: grading.Score | None = None
    grading_kind = Grading.SELF

    if library in grading.COMPOUND_TYPES:
        items = list(attempt.item_responses.all())
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

    # The attempt's counts, taken once when it finishes (the final statement is already stored).
    counts = H5PStatement.objects.filter(attempt=attempt).aggregate(
        statements=Count("id"), interactions=Count("id", filter=Q(verb__in=INTERACTION_VERBS))
    )
    attempt.statements, attempt.interactions = counts["statements"], counts["interactions"]
    interactions_before = attempt.interactions - (1 if _verb_name(statement) in INTERACTION_VERBS else 0)
    if interactions_before <= 0 and not attempt.item_responses.exists() and grading_kind == Grading.SELF:
        flags.append(FLAG_NO_INTERACTIONS)
    min_seconds = getattr(settings, "H5P_MIN_PLAUSIBLE_SECONDS", 3)
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
    attempt.save()
    # Competency evidence (and the score refresh behind it) is recorded by a task once this
    # commits: the learner's request does not wait for it; a lost message is picked up by the sweep.
    transaction.on_commit(partial(attempt_evidence_task.delay, attempt.pk))
