"""Finished attempts become competency evidence (source "h5p"), self-reported where not regraded.

The final statement queues ``attempts_evidence_task`` on commit; these tests run the queued
callbacks (eagerly) after each request, as the real commit would.
"""

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from assessments.models import CompetencyScore, Evidence
from courses.h5p.models import H5PAttempt
from courses.h5p.services.evidence import attempt_evidence_record, attempts_pending
from courses.h5p.tasks import attempt_evidence_sweep

from .conftest import captured

pytestmark = pytest.mark.django_db
URL = reverse("h5p:statements")


def send(client, statement):
    return client.post(
        URL,
        json.dumps(dict(statement, id=str(uuid.uuid4()))),
        content_type="application/json",
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """``send``, then run what the request queued on commit (the evidence task, eagerly)."""

    def post(client, statement):
        with django_capture_on_commit_callbacks(execute=True):
            return send(client, statement)

    return post


def test_server_graded_attempt_records_evidence_and_updates_the_score(client, learner, import_activity, post):
    activity = import_activity("H5P.Blanks.h5p", competencies=[("NT1", 1.0), ("VN-DCF/1.1", 0.5)])
    client.force_login(learner.user)
    for statement in captured("H5P.Blanks.statements.json", activity.pk):
        assert post(client, statement).status_code == 200
    rows = Evidence.objects.filter(person=learner).order_by("weight")
    assert [(r.competency.code, round(r.score, 4), r.weight, r.source, r.self_reported) for r in rows] == [
        ("1.1", 0.6667, 0.5, "h5p", False),
        ("NT1", 0.6667, 1.0, "h5p", False),
    ]
    assert {r.source_ref for r in rows} == {f"h5p-activity:{activity.pk}"}
    assert {r.recorded_at for r in rows} == {activity.attempts.get().completed_at}
    assert CompetencyScore.objects.filter(person=learner).count() == 2


def test_self_reported_attempt_records_self_reported_evidence(client, learner, import_activity, post):
    activity = import_activity("H5P.CoursePresentation.h5p", competencies=[("NT2", 1.0)])
    client.force_login(learner.user)
    statement = {
        "actor": {"name": "x", "mbox": "mailto:x@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"http://testserver/h5p/activities/{activity.pk}/"},
        "result": {"score": {"raw": 3, "min": 0, "max": 4}},
    }
    assert post(client, statement).status_code == 200
    evidence = Evidence.objects.get(person=learner)
    assert evidence.self_reported and evidence.score == 0.75 and evidence.source == "h5p"


def test_refused_statements_record_no_evidence(client, learner, import_activity, post):
    activity = import_activity("H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)])
    client.force_login(learner.user)
    answered = captured("H5P.TrueFalse.statements.json", activity.pk)[2]
    answered["result"]["score"]["scaled"] = 5
    assert post(client, answered).status_code == 400
    assert not Evidence.objects.exists()


def test_activity_without_competencies_records_none(client, learner, import_activity, post):
    activity = import_activity("H5P.TrueFalse.h5p")
    client.force_login(learner.user)
    for statement in captured("H5P.TrueFalse.statements.json", activity.pk):
        post(client, statement)
    assert activity.attempts.get().score_raw == 1
    assert not Evidence.objects.exists()


def test_the_learner_request_only_queues_the_evidence(
    client, learner, import_activity, django_capture_on_commit_callbacks
):
    activity = import_activity("H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)])
    client.force_login(learner.user)
    statements = captured("H5P.TrueFalse.statements.json", activity.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for statement in statements:
            response = send(client, statement)
            assert response.status_code == 200
    attempt = activity.attempts.get()
    assert attempt.score_raw == 1 and attempt.evidence_recorded_at is None
    assert not Evidence.objects.exists()
    assert len(callbacks) == 1  # one task for the one finished attempt
    callbacks[0]()
    attempt.refresh_from_db()
    assert attempt.evidence_recorded_at is not None
    assert Evidence.objects.get(person=learner).score == 1.0


def test_recording_twice_changes_nothing(client, learner, import_activity, post):
    activity = import_activity("H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)])
    client.force_login(learner.user)
    for statement in captured("H5P.TrueFalse.statements.json", activity.pk):
        post(client, statement)
    attempt = activity.attempts.get()
    assert attempt_evidence_record(attempt_id=attempt.pk) == "done"
    assert Evidence.objects.filter(person=learner).count() == 1
    assert attempt_evidence_record(attempt_id=10**9) == "gone"


def test_sweep_requeues_attempts_whose_task_was_lost(
    client, learner, import_activity, django_capture_on_commit_callbacks
):
    activity = import_activity("H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)])
    client.force_login(learner.user)
    with django_capture_on_commit_callbacks(execute=False):  # the queued task is lost
        for statement in captured("H5P.TrueFalse.statements.json", activity.pk):
            send(client, statement)
    attempt = activity.attempts.get()
    assert list(attempts_pending()) == []  # too recent: its task may still be on its way
    later = attempt.completed_at + timedelta(minutes=5)
    assert list(attempts_pending(now=later)) == [attempt]
    H5PAttempt.objects.filter(pk=attempt.pk).update(completed_at=attempt.completed_at - timedelta(minutes=5))
    assert attempt_evidence_sweep() == 1  # eager here: the task ran
    assert Evidence.objects.get(person=learner).source_ref == f"h5p-activity:{activity.pk}"
    assert attempt_evidence_sweep() == 0


def test_deactivated_learner_keeps_the_score_without_evidence(
    client, learner, import_activity, django_capture_on_commit_callbacks
):
    activity = import_activity("H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)])
    client.force_login(learner.user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for statement in captured("H5P.TrueFalse.statements.json", activity.pk):
            send(client, statement)
    type(learner).objects.filter(pk=learner.pk).update(is_active=False)
    callbacks[0]()
    attempt = activity.attempts.get()
    assert attempt.score_raw == 1 and attempt.evidence_recorded_at is not None
    assert not Evidence.objects.exists()
    assert attempt_evidence_sweep() == 0


def test_attempts_finished_together_are_recorded_person_by_person(
    client, learner, import_activity, django_capture_on_commit_callbacks
):
    from courses.h5p.services.evidence import attempts_evidence_record
    from tests.factories import make_person

    from .conftest import enrol

    activity = import_activity("H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)])
    other = make_person("other", learner.unit)
    enrol(other, activity_course(activity))
    gone = make_person("gone", learner.unit)
    enrol(gone, activity_course(activity))
    with django_capture_on_commit_callbacks(execute=False):  # the tasks are held back
        for person, times in ((learner, 2), (other, 1), (gone, 1)):
            client.force_login(person.user)
            for _ in range(times):
                for statement in captured("H5P.TrueFalse.statements.json", activity.pk):
                    assert send(client, statement).status_code == 200
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)
    ids = list(H5PAttempt.objects.order_by("pk").values_list("pk", flat=True))
    status = attempts_evidence_record(attempt_ids=ids)
    assert list(status.values()).count("recorded") == 3 and list(status.values()).count("skipped") == 1
    # two attempts of one activity: one result (the activity's grading method combines them)
    assert Evidence.objects.filter(person=learner).count() == 1 and Evidence.objects.filter(person=other).count() == 1
    assert not Evidence.objects.filter(person=gone).exists()
    assert not H5PAttempt.objects.filter(evidence_recorded_at__isnull=True).exists()
    assert CompetencyScore.objects.get(person=learner).evidence_count == 1
    assert attempts_evidence_record(attempt_ids=ids) == {pk: "done" for pk in ids}


def activity_course(activity):
    from courses.h5p.selectors import lessons_using
    from courses.selectors import course_of_lesson

    return course_of_lesson(lessons_using(activity).get())


def test_one_persons_failure_leaves_the_others_recorded(
    client, learner, import_activity, django_capture_on_commit_callbacks
):
    from unittest import mock

    from courses.h5p.services import evidence as h5p_evidence
    from tests.factories import make_person

    from .conftest import enrol

    activity = import_activity("H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)])
    other = make_person("other", learner.unit)
    enrol(other, activity_course(activity))
    with django_capture_on_commit_callbacks(execute=False):
        for person in (learner, other):
            client.force_login(person.user)
            for statement in captured("H5P.TrueFalse.statements.json", activity.pk):
                assert send(client, statement).status_code == 200
    real = h5p_evidence.evidence_supersede_many

    def flaky(*, person, **kwargs):
        if person.pk == learner.pk:
            raise RuntimeError("a bug in scoring")
        return real(person=person, **kwargs)

    ids = list(H5PAttempt.objects.values_list("pk", flat=True))
    with mock.patch.object(h5p_evidence, "evidence_supersede_many", side_effect=flaky):
        status = h5p_evidence.attempts_evidence_record(attempt_ids=ids)
    mine, theirs = H5PAttempt.objects.get(person=learner), H5PAttempt.objects.get(person=other)
    assert (status[mine.pk], status[theirs.pk]) == ("failed", "recorded")
    assert mine.evidence_recorded_at is None and theirs.evidence_recorded_at is not None  # the sweep retries mine
    assert Evidence.objects.filter(person=other).count() == 1 and not Evidence.objects.filter(person=learner).exists()


def test_evidence_is_at_the_activitys_band(client, learner, import_activity, post):
    activity = import_activity("H5P.Blanks.h5p", competencies=[("NT1", 1.0)])
    activity.band = "intermediate"
    activity.save()
    client.force_login(learner.user)
    for statement in captured("H5P.Blanks.statements.json", activity.pk):
        assert post(client, statement).status_code == 200
    assert list(Evidence.objects.filter(person=learner).values_list("band", flat=True)) == ["intermediate"]


# ---- attempts at activities without competencies skip the evidence task ----


def test_an_activity_without_competencies_queues_no_task_and_is_not_swept(
    client, learner, import_activity, django_capture_on_commit_callbacks
):
    """Issue 17: with no broker the evidence task ran inside the request even when it had nothing to record."""
    activity = import_activity("H5P.TrueFalse.h5p")
    client.force_login(learner.user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for statement in captured("H5P.TrueFalse.statements.json", activity.pk):
            assert send(client, statement).status_code == 200
    assert callbacks == []
    attempt = activity.attempts.get()
    assert attempt.score_raw == 1 and attempt.evidence_recorded_at == attempt.completed_at
    assert list(attempts_pending(now=attempt.completed_at + timedelta(hours=1))) == []
    assert not Evidence.objects.exists()


def test_a_competency_linked_later_still_reaches_the_skipped_attempts(client, learner, import_activity, post):
    from courses.h5p.models import H5PActivityCompetency
    from courses.h5p.services.evidence import activity_results_recompute
    from courses.h5p.services.imports import competency_resolve

    activity = import_activity("H5P.TrueFalse.h5p")
    client.force_login(learner.user)
    for statement in captured("H5P.TrueFalse.statements.json", activity.pk):
        post(client, statement)
    H5PActivityCompetency.objects.create(activity=activity, competency=competency_resolve("NT1"), weight=1.0)
    assert activity_results_recompute(activity_id=activity.pk) == 1
    assert Evidence.objects.get(person=learner).source_ref == f"h5p-activity:{activity.pk}"


def test_a_batch_queues_evidence_only_for_activities_with_competencies(
    learner, import_activity, django_capture_on_commit_callbacks
):
    """One batch of the queued writer, two finished attempts: the one with a competency still gets its evidence."""
    from courses.h5p.services.statements import statement_prepare, statements_store

    linked = import_activity("H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)], title="linked")
    plain = import_activity("H5P.TrueFalse.h5p", title="plain")
    entries = [
        statement_prepare(
            user=learner.user, person=learner, statement=dict(s, id=str(uuid.uuid4())), home_page="http://testserver/"
        )
        for activity in (plain, linked)
        for s in captured("H5P.TrueFalse.statements.json", activity.pk)
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        statements_store(entries, strict=False)
    assert len(callbacks) == 1
    mine, other = linked.attempts.get(), plain.attempts.get()
    assert mine.evidence_recorded_at is not None and other.evidence_recorded_at == other.completed_at
    assert [(e.source_ref, e.score) for e in Evidence.objects.filter(person=learner)] == [
        (f"h5p-activity:{linked.pk}", 1.0)
    ]
