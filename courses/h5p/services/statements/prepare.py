"""Step one of the H5P intake: check one statement from the signed-in learner, write nothing.

``statement_prepare`` validates a statement against xAPI (one validator for every intake,
``assessments.xapi.validation``), replaces the actor with the signed-in person, refuses any
``object.id`` that is not one of this site's H5P activities, checks the learner may play it, and
returns an ``Entry``: the statement as it will be stored, with what the writer needs to file it.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from assessments.xapi import validation as xapi
from lms.policy import can

from ...errors import StatementError
from ...models import H5PActivity

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


def activity_id_from_iri(iri: Any, site: str) -> tuple[int | None, str]:
    """``https://<site>/h5p/activities/7?subContentId=x`` -> ``(7, "x")``; ``(None, "")`` if not
    ours: another path, or another host than ``site`` (this site's address, as our player builds
    the activity IRI from it), however the path looks."""
    if not isinstance(iri, str):
        return None, ""
    try:
        parts = urlsplit(iri)
        host = urlsplit(site).netloc.lower()
    except ValueError:
        return None, ""
    match = ACTIVITY_PATH_RE.match(parts.path)
    if parts.scheme not in ("http", "https") or not match or parts.netloc.lower() != host:
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
    activity_pk, sub_content_id = activity_id_from_iri(obj["id"], home_page)
    if activity_pk is None:
        raise StatementError(_("object.id is not an H5P activity of this site."))
    parents = _parents(statement)
    for parent in parents:
        parent_pk, _sub = activity_id_from_iri(parent.get("id"), home_page)
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


def conflict_error() -> StatementError:
    return StatementError(_("A different statement with this id is already stored."), status=409, code=CONFLICT)


def forbidden_error(code: str = "forbidden") -> StatementError:
    return StatementError(_("You may not send statements about this activity."), status=403, code=code)
