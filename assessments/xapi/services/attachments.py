"""Attachments: multipart/mixed requests and responses (xAPI 1.0.3 Communication 1.5.2).

A request's first part holds the statements (``application/json``); each further part one
attachment's content, named by its ``X-Experience-API-Hash`` (SHA-256, hex) and sent with
``Content-Transfer-Encoding: binary``. Every attachment a statement declares without a ``fileUrl``
must have its part, and every part must be declared; the hash must be the content's. Contents are
stored once per hash (``Attachment``). Responses with ``attachments=true`` follow the same shape.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from ..models import Attachment
from ..signatures import SIGNATURE_USAGE, SignatureError, check_signature

BOUNDARY_RE = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


class AttachmentError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Part:
    content_type: str
    content: bytes


def _headers(block: bytes) -> dict[str, str]:
    headers = {}
    for line in block.decode("latin-1").split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers


def parse_multipart(content_type: str, body: bytes) -> tuple[bytes, dict[str, Part]]:
    """The statements' JSON and the attachment parts by hash."""
    match = BOUNDARY_RE.search(content_type)
    if not match:
        raise AttachmentError(_("A multipart/mixed request needs a boundary."))
    delimiter = b"--" + match.group(1).encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise AttachmentError(_("The multipart body is not closed by its boundary."))
    parts = []
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise AttachmentError(_("A part of the multipart body is not framed by CRLF."))
        head, sep, content = chunk[2:-2].partition(b"\r\n\r\n")
        if not sep:
            head, content = chunk[2:-2].rstrip(b"\r\n"), b""
            if b":" not in head:
                raise AttachmentError(_("A part of the multipart body has no headers."))
        parts.append((_headers(head), content))
    (first_headers, statements_json), rest = parts[0], parts[1:]
    if first_headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise AttachmentError(_("The first part must hold the statements as application/json."))
    found: dict[str, Part] = {}
    limit = settings.XAPI_MAX_ATTACHMENT_BYTES
    for headers, content in rest:
        digest = headers.get("x-experience-api-hash", "").lower()
        if not digest:
            raise AttachmentError(_("Every attachment part needs an X-Experience-API-Hash header."))
        if headers.get("content-transfer-encoding", "binary").lower() != "binary":
            raise AttachmentError(_("Attachment parts must use Content-Transfer-Encoding: binary."))
        if len(content) > limit:
            raise AttachmentError(_("An attachment is larger than %(limit)d bytes.") % {"limit": limit})
        if hashlib.sha256(content).hexdigest() != digest:
            raise AttachmentError(_("An attachment's content does not match its X-Experience-API-Hash."))
        found[digest] = Part(content_type=headers.get("content-type", "application/octet-stream"), content=content)
    return statements_json, found


def _declared(statement: dict) -> list[dict]:
    listed = [a for a in statement.get("attachments") or [] if isinstance(a, dict)]
    obj = statement.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        listed += [a for a in obj.get("attachments") or [] if isinstance(a, dict)]
    return listed


def check_attachments(statements: list[dict], parts: dict[str, Part]) -> None:
    """Every declared attachment without a fileUrl has its part, every part is declared, and signature
    attachments sign their statement. Raises ``AttachmentError``."""
    declared: set[str] = set()
    for statement in statements:
        for attachment in _declared(statement):
            sha2 = str(attachment.get("sha2", "")).lower()
            declared.add(sha2)
            if "fileUrl" not in attachment and sha2 not in parts:
                raise AttachmentError(_("The attachment %(sha2)s is declared but not sent.") % {"sha2": sha2})
        for attachment in statement.get("attachments") or []:
            if isinstance(attachment, dict) and attachment.get("usageType") == SIGNATURE_USAGE:
                if attachment.get("contentType") != "application/octet-stream":
                    raise AttachmentError(_("A signature attachment must be application/octet-stream."))
                part = parts.get(str(attachment.get("sha2", "")).lower())
                if part is None:
                    raise AttachmentError(_("A signature attachment must be sent with the statement."))
                try:
                    check_signature(part.content, statement)
                except SignatureError as exc:
                    raise AttachmentError(_("Bad signature: %(reason)s.") % {"reason": exc}) from exc
    extra = set(parts) - declared
    if extra:
        raise AttachmentError(_("An attachment part is sent that no statement declares."))


def attachments_save(parts: dict[str, Part]) -> None:
    if not parts:
        return
    known = set(Attachment.objects.filter(sha2__in=list(parts)).values_list("sha2", flat=True))
    Attachment.objects.bulk_create(
        [
            Attachment(sha2=sha2, content_type=p.content_type, content=p.content)
            for sha2, p in parts.items()
            if sha2 not in known
        ],
        ignore_conflicts=True,
    )


def multipart_response(body: dict, statements: list[dict], *, status: int = 200) -> HttpResponse:
    """The JSON body first, then one part per attachment content the statements name (one query)."""
    import json

    wanted = {str(a.get("sha2", "")).lower() for s in statements for a in _declared(s)}
    contents = (
        Attachment.objects.filter(sha2__in=wanted).values_list("sha2", "content_type", "content") if wanted else []
    )
    boundary = uuid.uuid4().hex
    pieces = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(body, ensure_ascii=False).encode("utf-8"),
        b"\r\n",
    ]
    for sha2, content_type, content in contents:
        pieces += [
            (
                f"--{boundary}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n"
                f"X-Experience-API-Hash: {sha2}\r\n\r\n"
            ).encode("latin-1"),
            bytes(content),
            b"\r\n",
        ]
    pieces.append(f"--{boundary}--\r\n".encode())
    response = HttpResponse(b"".join(pieces), status=status, content_type=f'multipart/mixed; boundary="{boundary}"')
    response["X-Experience-API-Version"] = "1.0.3"
    return response
