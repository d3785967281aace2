"""Full recompute: command, drift report, history and the nightly task."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.models import CompetencyScore, CompetencyScoreSnapshot, Evidence
from assessments.services.evidence import EvidenceItem, evidence_record
from assessments.services.scores import add_months, month_start, snapshots_take
from assessments.tasks import competencies_recompute_task, competency_snapshots_task
from tests.factories import make_person


@pytest.fixture
def people(org, vn):
    a = make_person("an", org["FR"])
    b = make_person("binh", org["JP"])
    now = timezone.now()
    for i in range(4):
        evidence_record(
            person=a,
            items=[EvidenceItem(vn["1.1"].pk, 0.2 * i), EvidenceItem(vn["4.2"].pk, 0.9)],
            source="quiz",
            source_ref=f"quiz-attempt:{i}",
            recorded_at=now - timedelta(days=40 * i),
        )
    evidence_record(person=b, items=[EvidenceItem(vn["1.1"].pk, 1.0)], source="manual", source_ref="manual:1")
    return a, b


def run(*args):
    out = StringIO()
    call_command("recompute_competencies", "--no-progress", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_clean_tables_report_no_drift(people):
    before = list(CompetencyScore.objects.order_by("pk").values_list("score", "level_id", "evidence_count"))
    output = run()
    assert "drift corrected: 0" in output
    assert "from 9 evidence rows" in output
    after = list(CompetencyScore.objects.order_by("pk").values_list("score", "level_id", "evidence_count"))
    assert after == before


def test_drift_is_corrected_and_reported(people, vn):
    a, b = people
    CompetencyScore.objects.filter(person=a, competency=vn["1.1"]).update(score=0.01, level=None)
    CompetencyScore.objects.filter(person=a, competency=vn["4.2"]).delete()
    orphan = CompetencyScore.objects.get(person=b)
    CompetencyScore.objects.create(
        person=b, competency=vn["6.2"], score=0.5, evidence_count=1, computed_at=timezone.now()
    )
    output = run()
    assert "drift corrected: 3 (1 missing, 1 different, 1 without evidence)" in output
    assert not CompetencyScore.objects.filter(person=b, competency=vn["6.2"]).exists()
    assert CompetencyScore.objects.get(person=a, competency=vn["4.2"]).score == pytest.approx(0.9)
    assert CompetencyScore.objects.get(pk=orphan.pk).score == 1.0


def test_one_person_and_one_framework(people, vn):
    a, b = people
    CompetencyScore.objects.update(score=0.0)
    output = run("--person", a.employee_number, "--framework", "VN-DCF")
    assert "for 1 people" in output
    assert CompetencyScore.objects.get(person=b).score == 0.0  # untouched
    assert CompetencyScore.objects.get(person=a, competency=vn["4.2"]).score == pytest.approx(0.9)
    output = run("--person", str(b.pk), "--framework", "DIGCOMP")
    assert "from 0 evidence rows" in output and "drift corrected: 0" in output


def test_bad_arguments(people):
    with pytest.raises(CommandError, match="Unknown framework"):
        run("--framework", "NOPE")
    with pytest.raises(CommandError, match="No staff member"):
        run("--person", "E-nobody")


def test_history_months_rebuilds_monthly_snapshots(people, vn):
    a, _b = people
    run("--history-months", "24")
    months = list(
        CompetencyScoreSnapshot.objects.filter(person=a, competency=vn["1.1"])
        .order_by("month")
        .values_list("month", "evidence_count")
    )
    this_month = month_start(timezone.localdate())
    assert months[-1] == (this_month, 4)
    assert [n for _m, n in months] == sorted(n for _m, n in months)  # evidence accumulates month by month
    assert months[0][0] >= add_months(this_month, -23)
    assert len(months) >= 4
    assert CompetencyScoreSnapshot.objects.get(person=a, competency=vn["1.1"], month=this_month).score == pytest.approx(
        CompetencyScore.objects.get(person=a, competency=vn["1.1"]).score
    )
    run("--history-months", "24")  # repeatable
    assert CompetencyScoreSnapshot.objects.filter(person=a, competency=vn["1.1"]).count() == len(months)


def test_snapshots_take_freezes_current_scores(people):
    n = snapshots_take(month=date(2026, 1, 15))
    assert (
        n == CompetencyScore.objects.count() == CompetencyScoreSnapshot.objects.filter(month=date(2026, 1, 1)).count()
    )
    assert snapshots_take(month=date(2026, 1, 1)) == n  # idempotent
    assert CompetencyScoreSnapshot.objects.count() == n


def test_nightly_task_recomputes_and_snapshots(people):
    CompetencyScore.objects.update(score=0.0)
    result = competencies_recompute_task.delay().get()
    assert result["drift"] == 3 and result["snapshots"] == 3
    assert not CompetencyScore.objects.filter(score=0.0).exists()
    assert competency_snapshots_task.delay(previous_month=True).get() == 3
    last_month = add_months(month_start(timezone.localdate()), -1)
    assert CompetencyScoreSnapshot.objects.filter(month=last_month).count() == 3


def test_nightly_schedule_is_registered(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"assessments.tasks.competencies_recompute_task", "assessments.tasks.competency_snapshots_task"} <= tasks


def test_recompute_never_touches_evidence(people):
    before = list(Evidence.objects.order_by("pk").values())
    run("--history-months", "3")
    assert list(Evidence.objects.order_by("pk").values()) == before


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_nightly_task_on_a_real_worker(frameworks, org, vn):
    person = make_person("worker_case", org["FR"])
    evidence_record(person=person, items=[EvidenceItem(vn["5.1"].pk, 0.6)], source="quiz", source_ref="q:1")
    CompetencyScore.objects.update(score=0.0)
    result = competencies_recompute_task.delay().get(timeout=120)
    assert result["drift"] == 1
    assert CompetencyScore.objects.get(person=person).score == pytest.approx(0.6)
