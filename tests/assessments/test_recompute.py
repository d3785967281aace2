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
from tests.factories import make_person, source_ref


@pytest.fixture
def people(org, vn):
    a = make_person("an", org["FR"])
    b = make_person("binh", org["JP"])
    now = timezone.now()
    for i in range(4):
        evidence_record(
            person=a,
            items=[EvidenceItem(vn["1.1"].pk, 0.2 * i), EvidenceItem(vn["4.2"].pk, 0.9)],
            source="manual",
            source_ref=source_ref(a, f"quiz-attempt:{i}"),
            recorded_at=now - timedelta(days=40 * i),
        )
    evidence_record(
        person=b, items=[EvidenceItem(vn["1.1"].pk, 1.0)], source="manual", source_ref=source_ref(b, "manual:1")
    )
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
    evidence_record(
        person=person, items=[EvidenceItem(vn["5.1"].pk, 0.6)], source="manual", source_ref=source_ref(person, "q:1")
    )
    CompetencyScore.objects.update(score=0.0)
    result = competencies_recompute_task.delay().get(timeout=120)
    assert result["drift"] == 1
    assert CompetencyScore.objects.get(person=person).score == pytest.approx(0.6)


def test_trends_for_a_person_and_a_unit(people, org, vn, frameworks):
    from assessments.selectors import person_trend, unit_trend

    a, b = people
    run("--history-months", "24")
    mine = person_trend(a, frameworks["VN-DCF"])
    assert {row["code"] for row in mine} == {"1.1", "4.2"}
    assert all(row["people"] == 1 for row in mine)
    this_month = month_start(timezone.localdate())
    latest = {row["code"]: row["mean_score"] for row in mine if row["month"] == this_month}
    assert latest["4.2"] == pytest.approx(0.9)
    whole = unit_trend(org["BNG"], frameworks["VN-DCF"])
    now_11 = next(row for row in whole if row["month"] == this_month and row["code"] == "1.1")
    assert now_11["people"] == 2  # a (FR) and b (JP) are both under BNG
    a_11 = CompetencyScore.objects.get(person=a, competency=vn["1.1"]).score
    assert now_11["mean_score"] == pytest.approx((a_11 + 1.0) / 2)
    europe = unit_trend(org["EU"], frameworks["VN-DCF"])
    assert {row["people"] for row in europe} == {1}
    assert unit_trend(org["AP"], frameworks["DIGCOMP"]) == []


def test_a_new_framework_version_never_rewrites_old_scores(org, frameworks, vn):
    from assessments.models import Competency, CompetencyArea, Framework, ProficiencyLevel

    person = make_person("versioned", org["FR"])
    for i in range(2):
        evidence_record(
            person=person,
            items=[EvidenceItem(vn["1.1"].pk, 0.4)],
            source="manual",
            source_ref=source_ref(person, f"old:{i}"),
        )
    old = CompetencyScore.objects.get(person=person)
    Framework.objects.filter(pk=frameworks["VN-DCF"].pk).update(is_current=False)
    new_fw = Framework.objects.create(code="VN-DCF", version="2026", name_vi="Khung 2026", name_en="Framework 2026")
    for rank in range(1, 9):
        ProficiencyLevel.objects.create(
            framework=new_fw,
            rank=rank,
            code=f"L{rank}",
            name_vi=f"Mức {rank}",
            name_en=f"Level {rank}",
            min_score=0.1 * (rank - 1),
        )
    area = CompetencyArea.objects.create(framework=new_fw, code="1", name_vi="Dữ liệu", name_en="Data")
    new_comp = Competency.objects.create(framework=new_fw, area=area, code="1.1", name_vi="Tìm kiếm", name_en="Search")
    for i in range(2):
        evidence_record(
            person=person,
            items=[EvidenceItem(new_comp.pk, 0.9)],
            source="manual",
            source_ref=source_ref(person, f"new:{i}"),
        )
    output = run("--framework", "VN-DCF")
    assert "drift corrected: 0" in output
    kept = CompetencyScore.objects.get(pk=old.pk)
    assert (kept.competency_id, kept.score, kept.level_id) == (vn["1.1"].pk, old.score, old.level_id)
    assert CompetencyScore.objects.get(person=person, competency=new_comp).score == pytest.approx(0.9)


def test_nightly_run_rewrites_only_rows_whose_confidence_moved(people):
    from datetime import timedelta as td

    from assessments.services.scores import scores_recompute

    same_day = scores_recompute()
    assert (same_day.drift, same_day.scores_written, same_day.scores_checked) == (0, 0, 3)
    months_later = scores_recompute(now=timezone.now() + td(days=120))
    assert months_later.drift == 0 and months_later.refreshed == months_later.scores_written == 3
    assert all(s.confidence < 0.7 for s in CompetencyScore.objects.all())
