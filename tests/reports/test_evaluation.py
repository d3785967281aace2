import datetime

import pytest

from reports.models import AppendOnlyError, AuditEntry, EvaluationRecord, PeriodStatus
from reports.selectors import evaluation as sel
from reports.services.evaluation import (
    EvaluationError,
    evaluation_comment_set,
    evaluation_period_close,
    evaluation_period_open,
    evaluation_period_reopen,
)
from tests.factories import source_ref

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def period(hr_eu, org, vn):
    return evaluation_period_open(
        actor=hr_eu.user,
        unit=org["EU"],
        name="Năm 2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        framework=vn["framework"],
    )


def test_rows_hand_computed(period, scored, target_chuyen_vien, training):
    rows = {r["employee_number"]: r for r in sel.evaluation_rows(period, sel.period_people(period), today=TODAY)}
    assert set(rows) == {"E-fr1", "E-fr2", "E-de1"}
    fr2 = rows["E-fr2"]
    # Chuyên viên: 1.1 rank 5 of 6, 1.2 not measured -> competency 5/6 over the measured one, coverage 1 of 2;
    # training: 1 late of 1 -> 0.5; hours: A (4 h) completed 2026-03-10 -> 4 / 16
    assert fr2["competency_part"] == pytest.approx(5 / 6, abs=1e-4)
    assert fr2["coverage"] == 0.5 and fr2["unmeasured"] == ["1.2"]
    assert fr2["training_part"] == 0.5 and fr2["training_hours"] == 4.0
    expected = round(100 * (0.6 * 5 / 6 + 0.3 * 0.5 + 0.1 * 0.25), 1)
    # 50 % coverage < the period's 80 %: "not enough evidence to suggest a band", not "non-completion"
    assert fr2["index"] == expected and fr2["band"] == ""
    assert fr2["competencies_required"] == 2 and fr2["competencies_met"] == 0
    assert [lv["code"] for lv in fr2["levels"]] == ["1.1", "1.2"]
    # fr1 has no target profile (Bí thư thứ nhất): mean score 0.8; on time 1/1; hours 4 (A) + 2 (B, self) = 6
    fr1 = rows["E-fr1"]
    assert fr1["training_hours"] == 6.0 and fr1["index"] == round(100 * (0.6 * 0.8 + 0.3 * 1 + 0.1 * 6 / 16), 1)


def test_close_freezes_an_immutable_snapshot(hr_eu, period, scored, target_chuyen_vien, training, people, vn):
    from assessments.services.evidence import EvidenceItem, evidence_record

    evaluation_comment_set(actor=hr_eu.user, period=period, person=people["fr2"], text="Cần bồi dưỡng thêm kỹ năng số.")
    closed = evaluation_period_close(actor=hr_eu.user, period=period, today=TODAY)
    assert closed.status == PeriodStatus.CLOSED and closed.closed_by == hr_eu.user and closed.closed_at
    assert closed.snapshot_version == 1
    before = {r.employee_number: (r.index, r.levels, r.comment) for r in EvaluationRecord.objects.filter(period=period)}
    assert before["E-fr2"][2] == "Cần bồi dưỡng thêm kỹ năng số."

    # later evidence changes the live scores, but never the closed report
    evidence_record(
        person=people["fr2"],
        items=[
            EvidenceItem(competency_id=vn["c"]["1.2"].pk, score=1.0, band="intermediate"),
            EvidenceItem(competency_id=vn["c"]["1.2"].pk, score=1.0, band="intermediate"),
        ],
        source="manual",
        source_ref=source_ref(people["fr2"], "manual:1"),
    )
    after = {r.employee_number: (r.index, r.levels, r.comment) for r in EvaluationRecord.objects.filter(period=period)}
    assert after == before
    live = {r["employee_number"]: r for r in sel.evaluation_rows(period, sel.period_people(period), today=TODAY)}
    assert live["E-fr2"]["index"] > before["E-fr2"][0]
    frozen = {r["employee_number"]: r["index"] for r in sel.record_rows(period)}
    assert frozen["E-fr2"] == before["E-fr2"][0]

    record = EvaluationRecord.objects.get(period=period, employee_number="E-fr2")
    record.index = 100
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        EvaluationRecord.objects.filter(pk=record.pk).update(index=100)
    with pytest.raises(EvaluationError):
        evaluation_comment_set(actor=hr_eu.user, period=period, person=people["fr2"], text="x")
    assert AuditEntry.objects.filter(action="evaluation.close", target_id=str(period.pk)).exists()


def test_reopen_is_audited_and_a_new_close_writes_a_new_version(hr_eu, period, scored, training):
    evaluation_period_close(actor=hr_eu.user, period=period, today=TODAY)
    with pytest.raises(EvaluationError, match="why|lý do"):
        evaluation_period_reopen(actor=hr_eu.user, period=period, reason=" ")
    reopened = evaluation_period_reopen(actor=hr_eu.user, period=period, reason="Sai sót số liệu đào tạo")
    assert reopened.status == PeriodStatus.OPEN and reopened.closed_at is None
    entry = AuditEntry.objects.get(action="evaluation.reopen")
    assert (
        entry.actor == hr_eu.user
        and entry.params["reason"] == "Sai sót số liệu đào tạo"
        and entry.params["closed_version"] == 1
    )
    again = evaluation_period_close(actor=hr_eu.user, period=period, today=TODAY)
    assert again.snapshot_version == 2
    assert EvaluationRecord.objects.filter(period=period, version=1).count() == 3
    assert EvaluationRecord.objects.filter(period=period).current().count() == 3


def test_open_validates_and_refuses_outside_scope(hr_eu, org, vn):
    with pytest.raises(EvaluationError):
        evaluation_period_open(
            actor=hr_eu.user,
            unit=org["JP"],
            name="x",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
        )
    with pytest.raises(EvaluationError):
        evaluation_period_open(
            actor=hr_eu.user,
            unit=org["FR"],
            name="x",
            starts_on=datetime.date(2026, 2, 1),
            ends_on=datetime.date(2026, 1, 1),
        )
    with pytest.raises(EvaluationError):
        evaluation_period_open(
            actor=hr_eu.user,
            unit=org["FR"],
            name="x",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            thresholds=[50, 70, 90],
        )


def test_large_periods_are_closed_by_celery(hr_eu, period, people, settings, django_capture_on_commit_callbacks):
    settings.REPORTS_BACKGROUND_THRESHOLD = 1
    with django_capture_on_commit_callbacks(execute=True):
        result = evaluation_period_close(actor=hr_eu.user, period=period)
    assert result.status == PeriodStatus.CLOSING
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED and EvaluationRecord.objects.filter(period=period).count() == 3


def test_a_closing_whose_message_was_lost_is_resent(
    hr_eu, period, people, settings, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from reports.models import EvaluationPeriod
    from reports.services.evaluation import evaluation_closings_resend

    settings.REPORTS_BACKGROUND_THRESHOLD = 1
    evaluation_period_close(actor=hr_eu.user, period=period)  # the on-commit message is never sent here
    assert EvaluationPeriod.objects.get(pk=period.pk).status == PeriodStatus.CLOSING
    assert evaluation_closings_resend() == 0  # not stale yet
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluation_closings_resend(now=timezone.now() + datetime.timedelta(hours=1)) == 1
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED and EvaluationRecord.objects.filter(period=period).count() == 3
