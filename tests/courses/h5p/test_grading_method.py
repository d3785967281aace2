"""One activity, one result: repeated attempts combine by the activity's grading method, so a reload or
a re-check never adds weight (issue 13: a wrong second try dropped a learner's score from 83 % to 60 %)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import CompetencyScore, Evidence, GradingMethod
from assessments.quizzes.models import GradingMethod as QuizGradingMethod
from courses.h5p.models import Grading, H5PActivityCompetency, H5PAttempt
from courses.h5p.services.evidence import activity_results_recompute, attempts_evidence_record
from reports.models import AuditEntry

pytestmark = pytest.mark.django_db


def finish(activity, person, raw, maximum=30, *, minutes_ago=0, grading=Grading.SERVER):
    """A finished attempt as the statement intake leaves it (scored, evidence not yet recorded)."""
    done = timezone.now() - timedelta(minutes=minutes_ago)
    return H5PAttempt.objects.create(
        person=person,
        activity=activity,
        started_at=done - timedelta(minutes=3),
        completed_at=done,
        score_raw=raw,
        score_max=maximum,
        grading=grading,
        passed=raw / maximum >= 0.6,
    )


@pytest.fixture
def activity(import_activity):
    return import_activity("H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)])


def score_of(person):
    return CompetencyScore.objects.get(person=person).score


def test_one_enum_for_quizzes_and_h5p(activity):
    assert QuizGradingMethod is GradingMethod
    assert activity.grading_method == GradingMethod.HIGHEST


def test_a_wrong_second_try_no_longer_drops_83_to_60(activity, learner):
    # given a learner who scored 83 % on the activity
    first = finish(activity, learner, 25, minutes_ago=10)
    attempts_evidence_record(attempt_ids=[first.pk])
    assert round(score_of(learner), 3) == 0.833
    # when they reload it and get most of it wrong (11/30 = 37 %; two full-weight attempts averaged 60 %)
    second = finish(activity, learner, 11)
    attempts_evidence_record(attempt_ids=[second.pk])
    # then the activity still counts once, at its highest result
    assert round(score_of(learner), 3) == 0.833
    live = Evidence.objects.live().filter(person=learner)
    assert [(e.source_ref, round(e.score, 3)) for e in live] == [(f"h5p-activity:{activity.pk}", 0.833)]
    assert CompetencyScore.objects.get(person=learner).evidence_count == 1
    # nothing changed, so nothing was written: the history holds one row
    assert Evidence.objects.filter(person=learner).count() == 1


def test_reloads_never_add_weight(activity, learner):
    ids = [finish(activity, learner, 30, minutes_ago=50 - i).pk for i in range(5)]
    attempts_evidence_record(attempt_ids=ids)
    score = CompetencyScore.objects.get(person=learner)
    assert score.evidence_count == 1 and score.effective_weight <= 1.0


@pytest.mark.parametrize(
    ("method", "expected", "which"),
    [("highest", 0.9, 1), ("last", 0.5, 2), ("first", 0.3, 0), ("average", round((0.3 + 0.9 + 0.5) / 3, 6), 2)],
)
def test_each_grading_method(activity, learner, method, expected, which):
    activity.grading_method = method
    activity.save()
    attempts = [finish(activity, learner, raw, 10, minutes_ago=m) for raw, m in ((3, 30), (9, 20), (5, 10))]
    attempts_evidence_record(attempt_ids=[a.pk for a in attempts])
    (row,) = Evidence.objects.live().filter(person=learner)
    assert round(row.score, 6) == expected
    assert row.recorded_at == attempts[which].completed_at  # dated when the result was shown


def test_self_reported_when_the_counted_attempt_was(activity, learner):
    good = finish(activity, learner, 30, minutes_ago=5, grading=Grading.SELF)
    finish(activity, learner, 10, minutes_ago=9)
    attempts_evidence_record(attempt_ids=list(H5PAttempt.objects.values_list("pk", flat=True)))
    (row,) = Evidence.objects.live().filter(person=learner)
    assert row.self_reported and row.score == 1.0 and row.recorded_at == good.completed_at


def test_evidence_recorded_per_attempt_before_is_superseded(activity, learner):
    # given evidence recorded the old way, one row per attempt (as the H5P service wrote it before)
    old = [finish(activity, learner, raw, minutes_ago=m) for raw, m in ((25, 30), (11, 20))]
    competency_id = H5PActivityCompetency.objects.get().competency_id
    for attempt in old:
        Evidence.objects.create(
            person=learner,
            competency_id=competency_id,
            score=attempt.score_raw / attempt.score_max,
            source="h5p",
            source_ref=f"h5p-attempt:{attempt.pk}",
            recorded_at=attempt.completed_at,
        )
        attempt.evidence_recorded_at = timezone.now()
        attempt.save()
    assert Evidence.objects.live().filter(person=learner).count() == 2
    # when the learner finishes the activity again
    again = finish(activity, learner, 20)
    attempts_evidence_record(attempt_ids=[again.pk])
    # then one live result for the activity remains, the highest of the three
    (row,) = Evidence.objects.live().filter(person=learner)
    assert row.source_ref == f"h5p-activity:{activity.pk}" and round(row.score, 3) == 0.833
    assert set(Evidence.objects.filter(superseded_by=row).values_list("source_ref", flat=True)) == {
        f"h5p-attempt:{a.pk}" for a in old
    }


def test_changing_the_method_recomputes_everyones_result(activity, learner):
    attempts = [finish(activity, learner, raw, 10, minutes_ago=m) for raw, m in ((9, 20), (5, 10))]
    attempts_evidence_record(attempt_ids=[a.pk for a in attempts])
    activity.grading_method = GradingMethod.LAST
    activity.save()
    assert activity_results_recompute(activity_id=activity.pk) == 1
    (row,) = Evidence.objects.live().filter(person=learner)
    assert row.score == 0.5
    assert round(score_of(learner), 3) == 0.5
    # running it again changes nothing
    activity_results_recompute(activity_id=activity.pk)
    assert Evidence.objects.filter(person=learner).count() == 2


def test_an_activity_without_competencies_withdraws_its_results(activity, learner):
    attempts_evidence_record(attempt_ids=[finish(activity, learner, 9, 10).pk])
    H5PActivityCompetency.objects.all().delete()
    activity_results_recompute(activity_id=activity.pk)
    assert not Evidence.objects.live().filter(person=learner).exists()
    assert not CompetencyScore.objects.filter(person=learner).exists()


def test_admin_edit_of_the_method_is_audited_and_recomputes(
    client, activity, learner, trainer, django_capture_on_commit_callbacks
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    attempts = [finish(activity, learner, raw, 10, minutes_ago=m) for raw, m in ((9, 20), (5, 10))]
    attempts_evidence_record(attempt_ids=[a.pk for a in attempts])
    link = H5PActivityCompetency.objects.get()
    client.force_login(trainer.user)
    data = nested_form_data(
        {
            "title": activity.title,
            "pass_mark": 60,
            "grading_method": "last",
            "band": activity.band,
            "competency_links": inline_formset(
                [{"id": link.pk, "competency": link.competency_id, "weight": 1.0, "ORDER": 0}], initial=1
            ),
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/snippets/h5p/h5pactivity/edit/{activity.pk}/", data)
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="h5p.activity_scoring_change")
    assert entry.actor == trainer.user
    assert entry.params["before"]["grading_method"] == "highest" and entry.params["after"]["grading_method"] == "last"
    assert Evidence.objects.live().get(person=learner).score == 0.5


def test_the_result_opens_to_the_attempts_it_rests_on(client, activity, learner, trainer):
    attempts = [finish(activity, learner, raw, 10, minutes_ago=m) for raw, m in ((9, 20), (5, 10))]
    attempts_evidence_record(attempt_ids=[a.pk for a in attempts])
    row = Evidence.objects.live().get(person=learner)
    client.force_login(learner.user)
    response = client.get(f"/people/{learner.pk}/evidence/{row.pk}/")
    assert response.status_code == 200
    resolved = response.context["resolved"]
    assert [a.pk for a in resolved.context["attempts"]] == [a.pk for a in attempts]
    assert resolved.context["counted"] == {attempts[0].pk}  # highest
    assert resolved.open_url is None  # the results page is for trainers
    client.force_login(trainer.user)
    assert client.get(f"/people/{learner.pk}/evidence/{row.pk}/").status_code == 404  # not their officer
