"""Reading statements back (the Statement resource's GET): bounded, indexed queries.

A page is at most two queries, each ordered by ``(stored, id)`` and limited, whatever the store
holds: the statements that match the filters themselves, and (only when a filter other than
``since``/``until`` is given) the statements that refer to a matching statement through a
``StatementRef`` (xAPI 1.0.3 Communication 2.1.3: they match too, one level deep). Voided
statements are never returned by a query (only through ``voidedStatementId``). Paging is by
cursor: the last ``(stored, id)`` returned, signed into the ``more`` address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Credential, CredentialScope, Statement, StatementRelation

FIELDS = ("pk", "statement_id", "raw", "stored", "authority")


@dataclass(frozen=True)
class StatementQuery:
    agent_key: str | None = None
    verb_key: str | None = None
    activity_key: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    ascending: bool = False

    @property
    def filters_content(self) -> bool:
        return bool(self.agent_key or self.verb_key or self.activity_key or self.registration)


def readable_by(credential: Credential) -> QuerySet[Statement]:
    """The statements a credential may read (none for a write-only one)."""
    statements = Statement.objects.all()
    if credential.scope == CredentialScope.READ_OWN:
        return statements.filter(credential=credential)
    if credential.scope == CredentialScope.READ_UNIT and credential.unit is not None:
        return statements.filter(Q(credential=credential) | Q(person__unit__path__startswith=credential.unit.path))
    return statements.none()


def _matching(query: StatementQuery, statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """The content filters (agent, verb, activity, registration), voided statements included."""
    if query.agent_key:
        related = StatementRelation.objects.filter(statement=OuterRef("pk"), key=query.agent_key)
        statements = statements.filter(Exists(related if query.related_agents else related.filter(direct=True)))
    if query.activity_key:
        if query.related_activities:
            statements = statements.filter(
                Exists(StatementRelation.objects.filter(statement=OuterRef("pk"), key=query.activity_key))
            )
        else:
            statements = statements.filter(activity_key=query.activity_key)
    if query.verb_key:
        statements = statements.filter(verb_key=query.verb_key)
    if query.registration:
        statements = statements.filter(registration=query.registration)
    return statements


def _window(query: StatementQuery, statements: QuerySet[Statement], after: tuple[datetime, int] | None):
    statements = statements.filter(voided=False)
    if query.since:
        statements = statements.filter(stored__gt=query.since)
    if query.until:
        statements = statements.filter(stored__lte=query.until)
    if after:
        stored, pk = after
        if query.ascending:
            statements = statements.filter(Q(stored__gt=stored) | Q(stored=stored, pk__gt=pk))
        else:
            statements = statements.filter(Q(stored__lt=stored) | Q(stored=stored, pk__lt=pk))
    order = ("stored", "pk") if query.ascending else ("-stored", "-pk")
    return statements.order_by(*order)


def statements_page(
    query: StatementQuery, *, credential: Credential, limit: int, after: tuple[datetime, int] | None = None
) -> tuple[list[dict], bool]:
    """Up to ``limit`` rows (dicts of ``FIELDS``) in order, and whether more follow."""
    readable = readable_by(credential)
    direct = list(_window(query, _matching(query, readable), after).values(*FIELDS)[: limit + 1])
    rows = direct
    if query.filters_content:
        targets = _matching(query, Statement.objects.all()).filter(statement_id=OuterRef("object_ref"))
        referring = _window(query, readable.filter(object_ref__isnull=False).filter(Exists(targets)), after)
        extra = list(referring.values(*FIELDS)[: limit + 1])
        if extra:
            seen = {row["pk"] for row in direct}
            rows = direct + [row for row in extra if row["pk"] not in seen]
            rows.sort(key=lambda row: (row["stored"], row["pk"]), reverse=not query.ascending)
    return rows[:limit], len(rows) > limit


def statement_single(*, credential: Credential, statement_id, voided: bool) -> dict | None:
    return readable_by(credential).filter(statement_id=statement_id, voided=voided).values(*FIELDS).first()
