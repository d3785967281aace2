"""Writing statements into the store: a batch in a fixed number of queries, each id once.

Every intake (the H5P player's, the LRS endpoint's, the queue's writer) ends here, so there is one
place that files a statement under its keys, marks the statements it voids, and refuses to
store an id twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import connections, router, transaction

from ..keys import index_of
from ..models import Statement, StatementRelation
from ..validation import VOIDED

INSERT_CHUNK = 1000  # rows per INSERT: well inside PostgreSQL's and SQLite's limits on bound values


@dataclass(frozen=True)
class NewStatement:
    """A validated statement to store (``statement["id"]`` set) and who it is about and from."""

    statement: dict
    person_id: int | None = None
    authority: dict | None = None
    credential_id: int | None = None


def statements_insert(items: list[NewStatement], *, stored: datetime) -> dict[str, Statement]:
    """Insert the statements whose id is not taken yet; returns the rows inserted by statement id.

    Queries whatever the batch size (per 1,000 rows): one ``INSERT ... ON CONFLICT DO NOTHING
    RETURNING``, one insert of their relations, one read of voiding statements that were stored
    before their target (those targets are stored voided), one update of the statements this batch
    voids. The caller holds the transaction and decides what an id taken already means.
    """
    # Stored times are kept to the millisecond, as they are shown: a reader's ``since`` taken from a
    # statement's ``stored`` must not match that statement again.
    stored = stored.replace(microsecond=stored.microsecond // 1000 * 1000)
    rows: list[Statement] = []
    indexes = {}
    for item in items:
        statement = item.statement
        index = index_of(statement, item.authority)
        row = Statement(
            statement_id=_uuid(statement["id"]),
            raw=statement,
            stored=stored,
            authority=item.authority,
            verb_key=index.verb_key,
            activity_key=index.activity_key,
            object_ref=_uuid(index.object_ref) if index.object_ref else None,
            registration=_uuid(index.registration) if index.registration else None,
            person_id=item.person_id,
            credential_id=item.credential_id,
        )
        rows.append(row)
        indexes[row.statement_id] = index
    inserted = _insert_new(rows)
    if not inserted:
        return {}
    relations = []
    for row in inserted.values():
        index = indexes[row.statement_id]
        direct = index.agents | ({index.activity_key} if index.activity_key else set())
        relations += [StatementRelation(statement_id=row.pk, key=key, direct=True) for key in sorted(direct)]
        relations += [
            StatementRelation(statement_id=row.pk, key=key, direct=False)
            for key in sorted((index.related_agents | index.related_activities) - direct)
        ]
    StatementRelation.objects.bulk_create(relations, batch_size=INSERT_CHUNK)
    _apply_voiding(inserted)
    from .forwarding import enabled, forward_soon

    if enabled():
        transaction.on_commit(forward_soon)
    return {str(row.statement_id): row for row in inserted.values()}


def _apply_voiding(inserted: dict[uuid.UUID, Statement]) -> None:
    """Void what this batch's voiding statements target, and store voided what an earlier one targeted.
    A voiding statement voids only a statement from the same sender (credential; None: the site itself):
    one integration cannot withdraw another's statements, or the evidence they gave."""
    voided_key = index_of({"verb": {"id": VOIDED}}).verb_key
    targets = {(row.object_ref, row.credential_id) for row in inserted.values() if row.verb_key == voided_key}
    targets |= set(
        Statement.objects.filter(object_ref__in=list(inserted), verb_key=voided_key)
        .exclude(pk__in=[row.pk for row in inserted.values()])
        .values_list("object_ref", "credential_id")
    )
    targets = {(target, sender) for target, sender in targets if target}
    by_sender: dict[int | None, list[uuid.UUID]] = {}
    for target, sender in targets:
        by_sender.setdefault(sender, []).append(target)
    for sender, ids in by_sender.items():
        # A voiding statement cannot itself be voided: only non-voiding targets change.
        Statement.objects.filter(statement_id__in=ids, credential_id=sender).exclude(verb_key=voided_key).update(
            voided=True
        )
        for statement_id in set(ids) & set(inserted):
            row = inserted[statement_id]
            if row.verb_key != voided_key and row.credential_id == sender:
                row.voided = True


def _insert_new(rows: list[Statement]) -> dict[uuid.UUID, Statement]:
    """Insert ``rows`` except those whose statement id is taken: one ``INSERT ... ON CONFLICT DO
    NOTHING RETURNING`` per chunk (PostgreSQL, SQLite 3.35+). Sets each inserted row's pk."""
    connection = connections[router.db_for_write(Statement)]
    meta = Statement._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    by_id: dict[uuid.UUID, Statement] = {}
    for row in rows:
        by_id.setdefault(row.statement_id, row)  # the same id twice in one batch: the first one
    unique = list(by_id.values())
    inserted: dict[uuid.UUID, Statement] = {}
    for start in range(0, len(unique), INSERT_CHUNK):
        chunk = unique[start : start + INSERT_CHUNK]
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
            inserted[row.statement_id] = row
    return inserted


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
