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


def _audit_page(client, user, language):
    from django.conf import settings

    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/reports/audit/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "language,expected",
    [
        (
            "en",
            [
                "hr_eu opened the evaluation period “Năm 2026 (FR) · FR”.",
                "Evaluation period opened",
                "Band thresholds",
                "hr_eu exported a report.",
                "Evaluation period</dt><dd>Năm 2026 (FR)",
                "Report</dt><dd>Staff<",
                "Language</dt><dd>English<",
                "Format</dt><dd>PDF<",
                "hr_eu changed the roles of",
                "Trainers",
                "The system locked signing in as Trần Đức Thắng",
            ],
        ),
        (
            "vi",
            [
                "hr_eu đã mở kỳ đánh giá “Năm 2026 (FR) · FR”.",
                "Mở kỳ đánh giá",
                "Ngưỡng xếp loại",
                "hr_eu đã xuất một báo cáo.",
                "Giảng viên",
            ],
        ),
    ],
)
def test_audit_trail_reads_as_sentences_in_both_languages(client, people, hr_eu, org, language, expected):
    import datetime

    from reports.services.evaluation import evaluation_period_open

    period = evaluation_period_open(
        actor=hr_eu.user,
        unit=org["FR"],
        name="Năm 2026 (FR)",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    audit_record(
        actor=hr_eu.user,
        action="reports.export",
        target=people["fr1"],
        params={"report": "staff", "format": "pdf", "period": period.pk, "lang": "en"},
    )
    audit_record(
        actor=hr_eu.user,
        action="accounts.roles_change",
        target=people["fr2"],
        params={"added": ["Trainers"], "removed": []},
        unit=org["FR"],
    )
    audit_record(actor=None, action="accounts.sign_in_locked", target=people["fr2"], params={"login": "fr2"})
    page = _audit_page(client, hr_eu.user, language)
    for text in expected:
        assert text in page, text
    # never a raw code or a Python dict
    assert "{&#x27;" not in page and "{'" not in page and "[&#x27;" not in page
    assert ">evaluation.open<" not in page and ">reports.export<" not in page


def test_an_action_not_described_yet_still_reads_as_labelled_values(client, people, hr_eu, org):
    audit_record(actor=hr_eu.user, action="levels.recompute", target=org["FR"], params={"people_done": 3, "ok": True})
    page = _audit_page(client, hr_eu.user, "en")
    assert "levels.recompute" in page and "people done</dt><dd>3" in page and "<dd>yes</dd>" in page
    assert "{&#x27;" not in page
