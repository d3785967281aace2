"""Identity events in the audit trail (``reports.services.audit.audit_record``), under ``accounts.*`` actions."""

from __future__ import annotations

from typing import Any, NamedTuple


def record(*, actor, action: str, target: Any = None, params: dict | None = None, unit=None) -> None:
    from django.contrib.auth import get_user_model

    from lms.policy import profile_of
    from reports.services.audit import audit_record

    if unit is None and isinstance(target, get_user_model()):
        profile = profile_of(target)  # HR see the entries about people of their units
        unit = profile.unit if profile is not None else None
    audit_record(actor=actor, action=action, target=target, params=params, unit=unit)


class Row(NamedTuple):
    model: type
    pk: Any
    text: str
    unit_id: int | None
    params: dict


def record_many(*, actor, action: str, rows: list[Row]) -> int:
    """One audit row per target in one INSERT (an import may deactivate, an invitation reach, thousands)."""
    from reports.models import AuditEntry

    actor_user = actor if getattr(actor, "pk", None) else None
    entries = [
        AuditEntry(
            actor=actor_user,
            actor_name=actor_user.get_username() if actor_user else "system",
            action=action,
            target_type=row.model._meta.label,
            target_id=str(row.pk),
            target_repr=row.text[:255],
            unit_id=row.unit_id,
            params=row.params,
        )
        for row in rows
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
