"""Writing the audit trail. Other apps call ``audit_record`` for exports, closes, reopens and manual changes."""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from lms.models import StaffProfile, Unit

from ..models import AuditEntry


def _unit_of(target: Any) -> Unit | None:
    if isinstance(target, Unit):
        return target
    if isinstance(target, StaffProfile):
        return target.unit
    unit = getattr(target, "unit", None)
    if isinstance(unit, Unit):
        return unit
    person = getattr(target, "person", None)
    if isinstance(person, StaffProfile):
        return person.unit
    return None


def _jsonable(params: dict | None) -> dict:
    import json

    return json.loads(json.dumps(params or {}, cls=DjangoJSONEncoder, default=str))


@transaction.atomic
def audit_record(
    *, actor, action: str, target: Any = None, params: dict | None = None, unit: Unit | None = None
) -> AuditEntry:
    """Append one audit entry.

    ``actor``: the user (or None for the system). ``action``: a dotted verb such as ``"reports.export"``,
    ``"evaluation.close"``, ``"competency.manual_change"``. ``target``: a model instance, a string or None;
    the unit used for HR scoping is taken from ``unit`` or guessed from the target (a Unit, a StaffProfile,
    or anything with a ``unit`` or ``person`` attribute). ``params`` must be JSON-serialisable (dates and
    decimals are converted).
    """
    if not action:
        raise ValueError("audit_record needs an action")
    if isinstance(target, models.Model):
        target_type = target._meta.label
        target_id = str(target.pk)
        target_repr = str(target)[:255]
    else:
        target_type, target_id, target_repr = "", "", str(target or "")[:255]
    actor_user = actor if getattr(actor, "pk", None) else None
    return AuditEntry.objects.create(
        actor=actor_user,
        actor_name=actor_user.get_username() if actor_user else "system",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        unit=unit or _unit_of(target),
        params=_jsonable(params),
    )
