"""Evaluations HR can sign: as of the period's end, coverage, recency, closed means closed."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from assessments.models import Framework, ProficiencyLevel
from assessments.services.evidence import EvidenceItem, evidence_record
from reports.models import AuditEntry, EvaluationPeriod, EvaluationRecord, PeriodStatus
from reports.selectors import evaluation as sel
from reports.services.evaluation import EvaluationError, evaluation_period_close, evaluation_period_open
from tests.factories import source_ref
from tests.reports.conftest import at

POSTGRES = connection.vendor == "postgresql"


def evidence(person, competency, score, band, when, ref):
    evidence_record(
        person=person,
        items=[EvidenceItem(competency.pk, score, band=band), EvidenceItem(competency.pk, score, band=band)],
        source="manual",
        source_ref=source_ref(person, ref),  # a real source (a manual assessment) standing for a quiz attempt
        recorded_at=when,
    )


@pytest.fixture
def h1_2025(hr_eu, org, vn):
    return evaluation_period_open(
        actor=hr_eu.user,
        unit=org["FR"],
        name="6 tháng đầu năm 2025",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 6, 30),
        framework=vn["framework"],
    )


def test_h1_2025_closed_much_later_is_evaluated_as_of_30_june_2025(
    hr_eu, h1_2025, people, vn, target_chuyen_vien, django_assert_max_num_queries
):
    # The scenario: a period for 1 Jan – 30 Jun 2025, closed in December 2026, took evidence dated
    # December 2026 (index 53.6 → 85.7, one band up). Now only what existed on 30 June 2025 counts.
    fr2, c = people["fr2"], vn["c"]
    evidence(fr2, c["1.1"], 0.8, "intermediate", at(2025, 3, 10), "quiz-attempt:1")  # TC2 (rank 4 of 6)
    evidence(fr2, c["1.2"], 0.9, "basic", at(2025, 5, 20), "quiz-attempt:2")  # CB2 (rank 2 of 3)
    evidence(fr2, c["1.1"], 1.0, "specialised", at(2026, 12, 1), "quiz-attempt:3")  # after the period
    evidence(fr2, c["1.2"], 1.0, "advanced", at(2026, 12, 1), "quiz-attempt:4")
    with django_assert_max_num_queries(40):
        closed = evaluation_period_close(actor=hr_eu.user, period=h1_2025)
    assert closed.status == PeriodStatus.CLOSED
    record = EvaluationRecord.objects.get(period=h1_2025, employee_number="E-fr2")
    levels = {lv["code"]: lv["level"] for lv in record.levels}
    assert levels == {"1.1": "TC2", "1.2": "CB2"}
    assert record.coverage == 1.0 and record.unmeasured == []
    assert record.competency_part == pytest.approx((4 / 6 + 2 / 3) / 2, abs=1e-4)
    # index = (0.6 × 0.6667 + 0.1 × 0) / 0.7 (nothing mandatory was due): 57.1, "Completion of duties"
    assert record.index == 57.1 and record.band == "done"
    # The live view today would read the December 2026 evidence: the frozen record did not.
    live = {r["employee_number"]: r for r in sel.evaluation_rows(h1_2025, sel.period_people(h1_2025))}
    assert live["E-fr2"]["index"] == record.index  # an ended period is evaluated as of its end, open or closed
    from assessments.models import CompetencyScore

    assert CompetencyScore.objects.get(person=fr2, competency=c["1.1"]).level.code == "CS2"


def test_coverage_below_the_threshold_gives_no_band_and_says_what_to_assess(hr_eu, org, people, vn, target_chuyen_vien):
    period = evaluation_period_open(
        actor=hr_eu.user,
        unit=org["FR"],
        name="Năm 2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        framework=vn["framework"],
        coverage_threshold=0.5,
    )
    assert EvaluationPeriod.objects.get(pk=period.pk).coverage_threshold == 0.5
    fr2, c = people["fr2"], vn["c"]
    evidence(fr2, c["1.1"], 0.3, "basic", at(2026, 3, 1), "quiz-attempt:1")  # measured: no level demonstrated
    row = next(r for r in sel.evaluation_rows(period, sel.period_people(period)) if r["employee_number"] == "E-fr2")
    # Measured but below the first level is "not competent" (counts 0), not "not measured".
    assert row["coverage"] == 0.5 and row["unmeasured"] == ["1.2"] and row["competency_part"] == 0.0
    assert row["band"] == "fail"  # 50 % reaches this period's threshold
    nobody = next(r for r in sel.evaluation_rows(period, sel.period_people(period)) if r["employee_number"] == "E-fr1")
    assert nobody["coverage"] == 0.0 and nobody["band"] == "" and nobody["competency_part"] is None


@pytest.mark.parametrize("bad", [0, -0.1, 1.5, "x", float("nan"), True])
def test_a_coverage_threshold_outside_0_1_is_refused(hr_eu, org, vn, bad):
    with pytest.raises(EvaluationError, match="coverage|bao phủ"):
        evaluation_period_open(
            actor=hr_eu.user,
            unit=org["FR"],
            name="x",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            coverage_threshold=bad,
        )
    assert not EvaluationPeriod.objects.exists()


def test_a_level_older_than_the_frameworks_validity_is_due_and_not_counted(hr_eu, org, people, vn, target_chuyen_vien):
    Framework.objects.filter(pk=vn["framework"].pk).update(validity_months=12)
    period = evaluation_period_open(
        actor=hr_eu.user,
        unit=org["FR"],
        name="Năm 2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        framework=Framework.objects.get(pk=vn["framework"].pk),
    )
    fr2, c = people["fr2"], vn["c"]
    evidence(fr2, c["1.1"], 0.9, "advanced", at(2025, 6, 1), "quiz-attempt:1")  # 18 months old: due
    evidence(fr2, c["1.2"], 0.9, "intermediate", at(2026, 11, 1), "quiz-attempt:2")
    row = next(r for r in sel.evaluation_rows(period, sel.period_people(period)) if r["employee_number"] == "E-fr2")
    by_code = {lv["code"]: lv for lv in row["levels"]}
    assert by_code["1.1"]["due"] and not by_code["1.1"]["current"] and by_code["1.1"]["rank"] == 0
    assert by_code["1.2"]["current"] and by_code["1.2"]["level"] == "TC2"
    assert row["unmeasured"] == ["1.1"] and row["coverage"] == 0.5


def test_closing_preview_counts_people_with_and_without_a_band(hr_eu, h1_2025, people, vn, target_chuyen_vien):
    evidence(people["fr2"], vn["c"]["1.1"], 0.8, "basic", at(2025, 3, 1), "quiz-attempt:1")
    evidence(people["fr2"], vn["c"]["1.2"], 0.8, "basic", at(2025, 3, 1), "quiz-attempt:2")
    preview = sel.closing_preview(h1_2025)
    assert preview == {"people": 2, "with_band": 1, "without_band": 1}
    assert EvaluationPeriod.objects.get(pk=h1_2025.pk).status == PeriodStatus.OPEN


# ---- closed means closed, in the database (PostgreSQL) ----


@pytest.mark.skipif(not POSTGRES, reason="the triggers exist on PostgreSQL only")
def test_postgres_refuses_to_edit_records_audit_entries_and_a_closed_periods_rules(hr_eu, h1_2025, people):
    evaluation_period_close(actor=hr_eu.user, period=h1_2025)
    record = EvaluationRecord.objects.filter(period=h1_2025).first()
    entry = AuditEntry.objects.first()
    statements = [
        ("UPDATE reports_evaluationrecord SET index = 100 WHERE id = %s", record.pk),
        ("UPDATE reports_evaluationrecord SET band = 'excellent' WHERE id = %s", record.pk),
        ("DELETE FROM reports_evaluationrecord WHERE id = %s", record.pk),
        ("UPDATE reports_auditentry SET action = 'x' WHERE id = %s", entry.pk),
        ("DELETE FROM reports_auditentry WHERE id = %s", entry.pk),
        ("UPDATE reports_evaluationperiod SET thresholds = '[10, 5, 1]' WHERE id = %s", h1_2025.pk),
        ("UPDATE reports_evaluationperiod SET coverage_threshold = 0.1 WHERE id = %s", h1_2025.pk),
        ("UPDATE reports_evaluationperiod SET ends_on = '2025-12-31' WHERE id = %s", h1_2025.pk),
        ("DELETE FROM reports_evaluationperiod WHERE id = %s", h1_2025.pk),
    ]
    for sql, pk in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [pk])
    # What deleting a person or a unit does (SET NULL) is allowed.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reports_evaluationrecord SET person_id = NULL WHERE id = %s", [record.pk])
        cursor.execute("UPDATE reports_auditentry SET unit_id = NULL WHERE id = %s", [entry.pk])


@pytest.mark.skipif(not POSTGRES, reason="the triggers exist on PostgreSQL only")
def test_postgres_refuses_to_edit_evidence_band(people, vn):
    evidence(people["fr2"], vn["c"]["1.1"], 0.8, "basic", at(2026, 3, 1), "quiz-attempt:1")
    level = ProficiencyLevel.objects.filter(framework=vn["framework"]).first()
    for sql, params in (
        ("UPDATE assessments_evidence SET band = 'specialised'", []),
        ("UPDATE assessments_evidence SET observed_level_id = %s", [level.pk]),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.mark.parametrize("bad", [[90, 70], [90, "x", 50], [90, 70, float("nan")], [150, 70, 50], [50, 70, 90], 7])
def test_band_thresholds_that_are_not_three_decreasing_numbers_are_refused(hr_eu, org, bad):
    with pytest.raises(EvaluationError):
        evaluation_period_open(
            actor=hr_eu.user,
            unit=org["FR"],
            name="x",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            thresholds=bad,
        )
    assert not EvaluationPeriod.objects.exists()
