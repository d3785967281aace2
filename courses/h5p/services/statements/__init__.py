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

from datetime import datetime
from typing import Any

from .finalise import _package_content
from .prepare import (
    CONFLICT,
    GONE,
    LIMIT,
    REPLAY,
    STORED,
    Entry,
    Recorded,
    activity_id_from_iri,
    actor_for,
    conflict_error,
    forbidden_error,
    statement_prepare,
)
from .store import statements_store

__all__ = [
    "CONFLICT",
    "GONE",
    "LIMIT",
    "REPLAY",
    "STORED",
    "Entry",
    "Recorded",
    "_package_content",
    "activity_id_from_iri",
    "actor_for",
    "conflict_error",
    "forbidden_error",
    "statement_prepare",
    "statement_record",
    "statements_store",
]


def statement_record(*, user, person, statement: Any, home_page: str, now: datetime | None = None) -> Recorded:
    """Validate and store one statement at once (``statement_prepare`` + ``statements_store``)."""
    entry = statement_prepare(user=user, person=person, statement=statement, home_page=home_page, now=now)
    return statements_store([entry], strict=True)[0]
