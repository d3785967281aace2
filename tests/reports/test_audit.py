import pytest

from reports.models import AppendOnlyError, AuditEntry
from reports.services.audit import audit_record


def test_audit_record_keeps_who_what_when_params_and_unit(people, hr_eu):
    entry = audit_record(
        actor=hr_eu.user, action="reports.export", target=people["fr1"], params={"format": "csv", "unit": 3}
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == hr_eu.user and stored.actor_name == "hr_eu"
    assert stored.action == "reports.export"
    assert stored.target_type == "lms.StaffProfile" and stored.target_id == str(people["fr1"].pk)
    assert stored.unit == people["fr1"].unit
    assert stored.params == {"format": "csv", "unit": 3}
    assert stored.created_at is not None


def test_audit_entries_cannot_be_changed_or_deleted(people):
    entry = audit_record(actor=None, action="system.thing", target="nightly", params={})
    assert entry.actor_name == "system" and entry.target_repr == "nightly"
    entry.action = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "system.thing"


def test_audit_params_with_dates_are_stored_as_text(org):
    import datetime

    entry = audit_record(actor=None, action="x", target=org["FR"], params={"on": datetime.date(2026, 1, 2)})
    assert AuditEntry.objects.get(pk=entry.pk).params == {"on": "2026-01-02"}
    assert entry.unit == org["FR"]


def test_audit_needs_an_action(org):
    with pytest.raises(ValueError):
        audit_record(actor=None, action="", target=None, params=None)
