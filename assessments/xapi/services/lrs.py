"""Statements from other tools (the LRS endpoint, HTTP Basic credentials): checked, then stored.

``statements_record`` takes one request's statements, all or nothing (xAPI 1.0.3 Communication
2.1.2): every statement valid, no id twice in the batch, an id stored already only for the same
statement (a replay, not stored again; another statement with that id is 409), no voiding of a
voiding statement. The actor is matched to a known officer (``mailto:`` of the user's e-mail, or
an account on this site named by the employee number) within the credential's HR scope; the
statements are then filed by the one store (``store.statements_insert``), the activities'
definitions kept for the Activities resource, and mapped statements become evidence.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import StaffProfile

from ..errors import LRSError
from ..keys import verb_key
from ..models import Credential, Statement
from ..validation import VOIDED, validate_statement
from .activities import activity_definitions_merge
from .attachments import AttachmentError, Part, attachments_save, check_attachments
from .store import NewStatement, statements_insert

SET_BY_LRS = ("stored", "authority")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def authority_for(credential: Credential, home_page: str) -> dict:
    return {"objectType": "Agent", "name": credential.name, "account": {"homePage": home_page, "name": credential.key}}


def _same(stored_raw: dict, received: dict) -> bool:
    """The same statement sent again: equal apart from what the LRS sets."""

    def strip(statement: dict) -> dict:
        return {k: v for k, v in statement.items() if k not in (*SET_BY_LRS, "version")}

    return canonical_json(strip(stored_raw)) == canonical_json(strip(received))


def _problems_message(index: int, problems, many: bool) -> str:
    where = _("statement %(n)d: ") % {"n": index + 1} if many else ""
    return where + "; ".join(str(p) for p in problems[:10])


def people_for(statements: list[dict], *, home_page: str, unit=None) -> dict[int, int]:
    """Statement index -> StaffProfile pk, for actors that name a known, active officer (one query)."""
    mails: dict[str, list[int]] = {}
    numbers: dict[str, list[int]] = {}
    for i, statement in enumerate(statements):
        actor = statement.get("actor") or {}
        if actor.get("objectType") == "Group":
            continue
        mbox = actor.get("mbox")
        account = actor.get("account")
        if isinstance(mbox, str) and mbox.lower().startswith("mailto:"):
            mails.setdefault(mbox[7:].strip().lower(), []).append(i)
        elif isinstance(account, dict) and str(account.get("homePage", "")).rstrip("/") == home_page.rstrip("/"):
            numbers.setdefault(str(account.get("name", "")), []).append(i)
    if not mails and not numbers:
        return {}
    from django.db.models import Q

    people = StaffProfile.objects.filter(is_active=True, user__is_active=True).filter(
        Q(user__email__in=list(mails)) | Q(employee_number__in=list(numbers))
    )
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    found: dict[int, int] = {}
    for pk, email, number in people.values_list("pk", "user__email", "employee_number"):
        for i in mails.get((email or "").lower(), []):
            found[i] = pk
        for i in numbers.get(number, []):
            found[i] = pk
    return found


def statements_record(
    *, statements: list[Any], credential: Credential, home_page: str, attachments: dict[str, Part] | None = None
) -> list[str]:
    """Store one request's statements (all or nothing), with their attachments' contents; their ids."""
    many = len(statements) > 1
    for i, statement in enumerate(statements):
        problems = validate_statement(statement)
        if problems:
            raise LRSError(_problems_message(i, problems, many), 400)
    try:
        check_attachments(statements, attachments or {})
    except AttachmentError as exc:
        raise LRSError(exc.message, 400) from exc
    received = []
    seen: set[str] = set()
    for statement in statements:
        statement = {k: v for k, v in statement.items() if k not in SET_BY_LRS}
        statement["id"] = str(statement.get("id") or uuid.uuid4()).lower()
        if statement["id"] in seen:
            raise LRSError(_("The statement id %(id)s appears twice in the request.") % {"id": statement["id"]}, 400)
        seen.add(statement["id"])
        received.append(statement)
    with transaction.atomic():
        stored = _check_known(received, credential_id=credential.pk if credential is not None else None)
        fresh = [s for s in received if s["id"] not in stored]
        if fresh:
            _store(fresh, credential=credential, home_page=home_page)
            attachments_save(attachments or {})
    return [s["id"] for s in received]


def _check_known(received: list[dict], *, credential_id: int | None) -> set[str]:
    """The ids stored already (each must be the same statement); refuse voiding a voiding, and voiding a
    statement another integration sent (only its sender may void it, and with it the evidence it gave)."""
    voiding_targets = {
        str(s["object"].get("id", "")).lower()
        for s in received
        if s["verb"].get("id") == VOIDED and isinstance(s.get("object"), dict)
    }
    wanted = {uuid.UUID(s["id"]) for s in received} | {uuid.UUID(t) for t in voiding_targets if _is_uuid(t)}
    rows = {
        str(sid): (raw, vkey, sender)
        for sid, raw, vkey, sender in Statement.objects.filter(statement_id__in=wanted).values_list(
            "statement_id", "raw", "verb_key", "credential_id"
        )
    }
    voided_key = verb_key(VOIDED)
    for target in voiding_targets:
        if target in rows and rows[target][1] == voided_key:
            raise LRSError(_("A voiding statement cannot be voided."), 400)
        if target in rows and rows[target][2] != credential_id:
            raise LRSError(_("Only the integration that sent a statement may void it."), 403)
    by_id = {s["id"]: s for s in received}
    for target in voiding_targets:  # voiding a voiding statement sent in the same request
        if target in by_id and by_id[target]["verb"].get("id") == VOIDED:
            raise LRSError(_("A voiding statement cannot be voided."), 400)
    known = set()
    for statement in received:
        row = rows.get(statement["id"])
        if row is None:
            continue
        if not _same(row[0], statement):
            raise LRSError(
                _("A different statement with the id %(id)s is stored already.") % {"id": statement["id"]}, 409
            )
        known.add(statement["id"])
    return known


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _store(fresh: list[dict], *, credential: Credential, home_page: str) -> None:
    people = people_for(fresh, home_page=home_page, unit=credential.unit)
    authority = authority_for(credential, home_page)
    now = timezone.now()
    inserted = statements_insert(
        [
            NewStatement(statement=s, person_id=people.get(i), authority=authority, credential_id=credential.pk)
            for i, s in enumerate(fresh)
        ],
        stored=now,
    )
    if len(inserted) != len(fresh):  # stored meanwhile by a concurrent request: same or conflicting
        missing = [s for s in fresh if s["id"] not in inserted]
        if len(_check_known(missing)) != len(missing):
            raise LRSError(_("The statements could not be stored; send them again."), 409)
    activity_definitions_merge(fresh, now=now)
    from .evidence import statements_to_evidence

    statements_to_evidence(list(inserted.values()))
