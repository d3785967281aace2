"""State, Activity Profile and Agent Profile documents (xAPI 1.0.3 Communication 2.3-2.6).

Writes are atomic and honour the concurrency headers (Communication 3.1): ``If-Match`` must name the
document's current ETag (or ``*`` for any existing document), ``If-None-Match: *`` that none exists,
else 412. For the profile resources a PUT that sends neither header onto an existing document is a
409. POST merges JSON objects key by key (both the stored and the sent document must be JSON
objects, else 400).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import LRSError
from ..models import Credential, Document, DocumentKind

JSON_TYPE = "application/json"


@dataclass(frozen=True)
class Owner:
    """Whose documents: the kind, the activity and agent keys, the registration (State only)."""

    kind: str
    activity_key: str = ""
    agent_key: str = ""
    registration: str | None = None


@dataclass(frozen=True)
class Preconditions:
    if_match: str | None = None
    if_none_match: str | None = None


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324 - an entity tag, not a security measure


def _etags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",") if tag.strip()]


def documents_of(owner: Owner, credential: Credential | None) -> QuerySet[Document]:
    return Document.objects.filter(
        credential=credential,
        kind=owner.kind,
        activity_key=owner.activity_key,
        agent_key=owner.agent_key,
        registration=owner.registration,
    )


def _check(document: Document | None, pre: Preconditions, *, put: bool) -> None:
    if pre.if_match is not None:
        tags = _etags(pre.if_match)
        if document is None or ("*" not in tags and document.etag not in tags):
            raise LRSError(_("The document has changed (If-Match does not name its ETag)."), 412)
    if pre.if_none_match is not None:
        tags = _etags(pre.if_none_match)
        if document is not None and ("*" in tags or document.etag in tags):
            raise LRSError(_("The document exists already (If-None-Match)."), 412)
    if (
        put
        and document is not None
        and pre.if_match is None
        and pre.if_none_match is None
        and document.kind != DocumentKind.STATE
    ):
        raise LRSError(_("The document exists: send If-Match with its ETag (or If-None-Match: *)."), 409)


def _is_json_object(content: bytes) -> dict | None:
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


@transaction.atomic
def document_write(
    *,
    owner: Owner,
    credential: Credential | None,
    doc_id: str,
    content: bytes,
    content_type: str,
    merge: bool,
    pre: Preconditions,
) -> Document:
    """PUT (``merge=False``: replace) or POST (``merge=True``: merge JSON objects) one document."""
    document = documents_of(owner, credential).select_for_update().filter(doc_id=doc_id).first()
    _check(document, pre, put=not merge)
    if merge:
        sent = _is_json_object(content) if content_type.split(";")[0].strip() == JSON_TYPE else None
        if document is not None:
            stored = _is_json_object(bytes(document.content)) if document.content_type.startswith(JSON_TYPE) else None
            if sent is None or stored is None:
                raise LRSError(
                    _("POST merges only JSON objects: the stored and the sent documents must both be one."), 400
                )
            content = json.dumps({**stored, **sent}, ensure_ascii=False).encode("utf-8")
            content_type = JSON_TYPE
        elif sent is None and content_type.split(";")[0].strip() == JSON_TYPE:
            raise LRSError(_("The document is not a JSON object."), 400)
    now = timezone.now()
    if document is None:
        document = Document(
            credential=credential,
            kind=owner.kind,
            activity_key=owner.activity_key,
            agent_key=owner.agent_key,
            registration=owner.registration,
            doc_id=doc_id,
        )
    document.content = content
    document.content_type = content_type[:255] or "application/octet-stream"
    document.etag = etag_of(content)
    document.updated = now
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # written by a concurrent request since we looked
        raise LRSError(_("The document was written meanwhile; send it again with If-Match."), 409) from None
    return document


@transaction.atomic
def document_delete(*, owner: Owner, credential: Credential | None, doc_id: str | None, pre: Preconditions) -> int:
    """Delete one document (``doc_id``) or, for State only, every document of the owner."""
    documents = documents_of(owner, credential)
    if doc_id is not None:
        document = documents.select_for_update().filter(doc_id=doc_id).first()
        if pre.if_match is not None or pre.if_none_match is not None:
            _check(document, pre, put=False)
        if document is None:
            return 0
        document.delete()
        return 1
    deleted, _rows = documents.delete()
    return deleted


def document_ids(*, owner: Owner, credential: Credential | None, since: datetime | None) -> list[str]:
    documents = documents_of(owner, credential)
    if since is not None:
        documents = documents.filter(updated__gt=since)
    return list(documents.order_by("doc_id").values_list("doc_id", flat=True)[:10_000])
