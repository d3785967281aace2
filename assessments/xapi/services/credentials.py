"""LRS credentials: issued by an administrator, shown once, checked on every request, revoked.

Issuance and revocation are audited (``xapi.credential_issue``, ``xapi.credential_revoke``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..models import Credential, CredentialScope


@dataclass(frozen=True)
class Issued:
    """What the administrator sees once: the key and the secret (only its digest is kept)."""

    credential: Credential
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def credential_issue(*, name: str, scope: str, unit=None, issued_by) -> Issued:
    from reports.services.audit import audit_record

    if scope not in CredentialScope.values:
        raise ValueError(f"unknown scope {scope!r}")
    if scope == CredentialScope.READ_UNIT and unit is None:
        raise ValueError("reading within an HR scope needs a unit")
    secret = secrets.token_urlsafe(32)
    credential = Credential.objects.create(
        name=name.strip()[:120],
        key=secrets.token_hex(12),
        secret_digest=_digest(secret),
        scope=scope,
        unit=unit,
        created_by=issued_by if getattr(issued_by, "pk", None) else None,
    )
    audit_record(
        actor=issued_by,
        action="xapi.credential_issue",
        target=credential,
        params={"key": credential.key, "scope": scope, "unit": unit.code if unit else None},
        unit=unit,
    )
    return Issued(credential=credential, secret=secret)


@transaction.atomic
def credential_revoke(*, credential: Credential, revoked_by) -> Credential:
    from reports.services.audit import audit_record

    locked = Credential.objects.select_for_update().get(pk=credential.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=revoked_by,
            action="xapi.credential_revoke",
            target=locked,
            params={"key": locked.key},
            unit=locked.unit,
        )
    return locked


def basic_pair(header: str | None) -> tuple[str, str] | None:
    """``("key", "secret")`` from an ``Authorization: Basic ...`` header; None for anything else."""
    if not header:
        return None
    scheme, _sep, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    key, sep, secret = decoded.partition(":")
    return (key, secret) if sep else None


def credential_authenticate(header: str | None) -> Credential | None:
    """The active credential the header names with its right secret, else None (one query)."""
    pair = basic_pair(header)
    if pair is None or not pair[0] or len(pair[0]) > 40:
        return None
    credential = Credential.objects.active().select_related("unit").filter(key=pair[0]).first()
    if credential is None or not hmac.compare_digest(credential.secret_digest, _digest(pair[1])):
        return None
    return credential
