"""xAPI intake: POST /xapi/statements, the attempt it updates, and forged statements."""

import copy
import json
import uuid

import pytest
from django.urls import reverse

from courses.h5p.models import H5PAttempt, H5PItemResponse, H5PStatement
from tests.factories import make_person

from .conftest import captured

pytestmark = pytest.mark.django_db

URL = reverse("h5p:statements")
V = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}


def post(client, body, **headers):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **{**V, **headers})


def play(client, statements):
    for statement in statements:
        statement = dict(statement, id=str(uuid.uuid4()))
        response = post(client, statement)
        assert response.status_code == 200, response.content
        yield statement


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner.user)
    return client


def test_true_false_round_trip(signed_in, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p", pass_mark=50)
    list(play(signed_in, captured("H5P.TrueFalse.statements.json", activity.pk)))
    attempt = H5PAttempt.objects.get(person=learner, activity=activity)
    assert (attempt.score_raw, attempt.score_max, attempt.grading, attempt.passed) == (1, 1, "server", True)
    assert attempt.completed_at is not None
    assert attempt.statements == 3 and attempt.interactions == 2
    stored = H5PStatement.objects.filter(person=learner)
    assert stored.count() == 3
    actor = stored.first().statement.raw["actor"]
    assert actor == {
        "objectType": "Agent",
        "name": learner.full_name,
        "account": {"homePage": "http://testserver/", "name": learner.employee_number},
    }


def test_response_is_xapi_shaped(signed_in, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    statement = dict(captured("H5P.TrueFalse.statements.json", activity.pk)[0], id=str(uuid.uuid4()))
    response = post(signed_in, statement)
    assert response.json() == [statement["id"]]
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_a_list_of_statements_is_accepted_and_ids_assigned(signed_in, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    response = post(signed_in, captured("H5P.TrueFalse.statements.json", activity.pk))
    assert response.status_code == 200
    ids = response.json()
    assert len(ids) == 3 and all(uuid.UUID(i) for i in ids)


def test_single_choice_set_children_become_item_responses(signed_in, learner, import_activity):
    activity = import_activity("H5P.SingleChoiceSet.h5p")
    list(play(signed_in, captured("H5P.SingleChoiceSet.statements.json", activity.pk)))
    attempt = H5PAttempt.objects.get(person=learner)
    items = H5PItemResponse.objects.filter(attempt=attempt).order_by("sub_content_id")
    assert items.count() == 3
    assert sorted((i.server_raw, i.claimed_raw) for i in items) == [(0, 0), (1, 1), (1, 1)]
    assert (attempt.score_raw, attempt.score_max, attempt.grading) == (2, 3, "server")
    assert attempt.passed is True  # 67 % >= default 60 %


def test_child_statements_never_set_the_final_score(signed_in, learner, import_activity):
    activity = import_activity("H5P.QuestionSet.h5p")
    list(play(signed_in, captured("H5P.QuestionSet.statements.json", activity.pk)))
    attempt = H5PAttempt.objects.get(person=learner)
    assert attempt.score_raw is None and attempt.completed_at is None
    assert attempt.item_responses.get().server_raw == 1


def test_replay_is_a_no_op_and_a_different_body_is_a_conflict(signed_in, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    answered = dict(captured("H5P.TrueFalse.statements.json", activity.pk)[2], id=str(uuid.uuid4()))
    assert post(signed_in, answered).status_code == 200
    assert post(signed_in, answered).status_code == 200
    assert H5PStatement.objects.count() == 1
    assert H5PAttempt.objects.get().statements == 1
    changed = copy.deepcopy(answered)
    changed["result"]["response"] = "false"
    assert post(signed_in, changed).status_code == 409
    assert H5PAttempt.objects.get().score_raw == 1


def test_put_with_statement_id(signed_in, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    statement = captured("H5P.TrueFalse.statements.json", activity.pk)[0]
    sid = str(uuid.uuid4())
    response = signed_in.put(
        f"{URL}?statementId={sid}", data=json.dumps(statement), content_type="application/json", **V
    )
    assert response.status_code == 204
    assert H5PStatement.objects.filter(statement__statement_id=sid).exists()


def test_put_without_statement_id_names_the_missing_parameter(signed_in, import_activity):
    """Issue 18: an ``id`` in the body but no ``statementId`` answered 409 "differs"; the parameter is missing."""
    activity = import_activity("H5P.TrueFalse.h5p")
    statement = dict(captured("H5P.TrueFalse.statements.json", activity.pk)[0], id=str(uuid.uuid4()))
    response = signed_in.put(URL, data=json.dumps(statement), content_type="application/json", **V)
    assert response.status_code == 400
    assert "statementId" in response.json()["error"]["message"]
    assert not H5PStatement.objects.exists()


# ---- forged and malformed statements ----


def test_another_actor_is_replaced_by_the_signed_in_person(signed_in, learner, import_activity, h5p_course):
    from .conftest import enrol

    other = make_person("victim", learner.unit)
    enrol(other, h5p_course)
    activity = import_activity("H5P.TrueFalse.h5p")
    answered = captured("H5P.TrueFalse.statements.json", activity.pk)[2]
    answered["actor"] = {
        "objectType": "Agent",
        "account": {"homePage": "http://testserver/", "name": other.employee_number},
    }
    assert post(signed_in, answered).status_code == 200
    assert not H5PAttempt.objects.filter(person=other).exists()
    assert H5PAttempt.objects.get(person=learner).score_raw == 1


def test_a_forged_score_for_a_graded_type_is_regraded(signed_in, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    answered = captured("H5P.TrueFalse.statements.json", activity.pk)[2]
    answered["result"]["response"] = "false"  # wrong answer, but claims full marks
    assert post(signed_in, answered).status_code == 200
    attempt = H5PAttempt.objects.get()
    assert (attempt.score_raw, attempt.claimed_raw, attempt.passed) == (0, 1, False)
    assert "claimed_score_differs" in attempt.flags


def test_a_forged_total_for_a_compound_is_regraded(signed_in, learner, import_activity):
    activity = import_activity("H5P.SingleChoiceSet.h5p")
    statements = captured("H5P.SingleChoiceSet.statements.json", activity.pk)
    statements[-1]["result"]["score"] = {"raw": 3, "min": 0, "max": 3, "scaled": 1}
    list(play(signed_in, statements))
    assert H5PAttempt.objects.get().score_raw == 2


@pytest.mark.parametrize(
    "mutate",
    [
        lambda s: s["result"]["score"].update(scaled=5),
        lambda s: s["result"]["score"].update(raw=7, max=1),
        lambda s: s.update(verb={"id": "not an iri"}),
        lambda s: s.update(timestamp="soon"),
        lambda s: s.pop("verb"),
        lambda s: s.update(id="123"),
    ],
    ids=["scaled-5", "raw-over-max", "verb", "timestamp", "no-verb", "bad-id"],
)
def test_malformed_statements_get_400_and_change_nothing(signed_in, import_activity, mutate):
    activity = import_activity("H5P.TrueFalse.h5p")
    answered = captured("H5P.TrueFalse.statements.json", activity.pk)[2]
    mutate(answered)
    response = post(signed_in, answered)
    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert not H5PStatement.objects.exists() and not H5PAttempt.objects.exists()


def test_a_bad_statement_in_a_batch_stores_none_of_them(signed_in, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    batch = captured("H5P.TrueFalse.statements.json", activity.pk)
    batch[2]["result"]["score"]["scaled"] = 5
    assert post(signed_in, batch).status_code == 400
    assert not H5PStatement.objects.exists() and not H5PAttempt.objects.exists()


def test_an_activity_outside_our_site_is_refused(signed_in, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    statement = captured("H5P.TrueFalse.statements.json", activity.pk)[2]
    statement["object"]["id"] = "http://localhost/h5p/H5P.TrueFalse"
    assert post(signed_in, statement).status_code == 400


def test_an_unknown_activity_is_forbidden(signed_in, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    statement = captured("H5P.TrueFalse.statements.json", activity.pk + 1000)[2]
    assert post(signed_in, statement).status_code == 403


def test_an_activity_in_no_lesson_of_theirs_is_forbidden(signed_in, import_activity, learner):
    from tests.courses.conftest import make_course

    from .conftest import place_in_lesson

    unplaced = import_activity("H5P.TrueFalse.h5p", place=False)
    elsewhere = import_activity("H5P.MultiChoice.h5p", place=False)
    place_in_lesson(make_course(title="Other course", slug="other"), elsewhere)  # not enrolled there
    for activity in (unplaced, elsewhere):
        statement = captured("H5P.TrueFalse.statements.json", activity.pk)[2]
        assert post(signed_in, statement).status_code == 403
    assert not H5PStatement.objects.exists() and not H5PAttempt.objects.exists()


def test_a_child_whose_parent_is_another_activity_is_refused(signed_in, import_activity):
    one = import_activity("H5P.SingleChoiceSet.h5p")
    two = import_activity("H5P.TrueFalse.h5p")
    child = captured("H5P.SingleChoiceSet.statements.json", one.pk)[2]
    child["context"]["contextActivities"]["parent"][0]["id"] = f"http://testserver/h5p/activities/{two.pk}/"
    assert post(signed_in, child).status_code == 400


def test_malformed_json_wrong_version_and_huge_bodies(signed_in, import_activity, settings):
    activity = import_activity("H5P.TrueFalse.h5p")
    statement = captured("H5P.TrueFalse.statements.json", activity.pk)[2]
    assert post(signed_in, b"{not json").status_code == 400
    assert post(signed_in, b"\xff\xfe\x00").status_code == 400
    assert post(signed_in, statement, HTTP_X_EXPERIENCE_API_VERSION="0.95").status_code == 400
    assert signed_in.post(URL, data=json.dumps(statement), content_type="application/json").status_code == 400
    settings.H5P_MAX_STATEMENT_BYTES = 2000
    huge = dict(statement, result=dict(statement["result"], response="x" * 5000))
    assert post(signed_in, huge).status_code == 413
    assert signed_in.post(URL, data="a=b", content_type="application/x-www-form-urlencoded", **V).status_code == 400
    assert not H5PStatement.objects.exists()


def test_anonymous_gets_401_and_reading_needs_lrs_credentials(client, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    assert post(client, captured("H5P.TrueFalse.statements.json", activity.pk)[0]).status_code == 401
    # reading is the LRS's (HTTP Basic credentials), even for a signed-in learner
    client.force_login(learner.user)
    response = client.get(URL, **V)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


def test_csrf_is_enforced(learner, import_activity):
    from django.test import Client

    activity = import_activity("H5P.TrueFalse.h5p")
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner.user)
    response = post(client, captured("H5P.TrueFalse.statements.json", activity.pk)[0])
    assert response.status_code == 403
    assert not H5PStatement.objects.exists()


def test_people_without_a_staff_profile_cannot_send(client, import_activity):
    from tests.factories import make_admin

    activity = import_activity("H5P.TrueFalse.h5p")
    client.force_login(make_admin())
    assert post(client, captured("H5P.TrueFalse.statements.json", activity.pk)[0]).status_code == 403


# ---- self-reported types ----


def self_reported_statement(activity_pk, raw, maximum, **score):
    return {
        "actor": {"name": "User", "mbox": "mailto:nobody@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"http://testserver/h5p/activities/{activity_pk}/", "objectType": "Activity"},
        "result": {"score": {"raw": raw, "min": 0, "max": maximum, **score}, "completion": True},
    }


def attempted_statement(activity_pk):
    """The top-level ``attempted`` H5P sends when the player opens."""
    statement = dict(
        self_reported_statement(activity_pk, 0, 1), verb={"id": "http://adlnet.gov/expapi/verbs/attempted"}
    )
    statement.pop("result")
    return statement


def test_other_types_are_self_reported_and_flagged_without_interactions(signed_in, import_activity):
    activity = import_activity("H5P.CoursePresentation.h5p")
    assert post(signed_in, self_reported_statement(activity.pk, 5, 10)).status_code == 200
    attempt = H5PAttempt.objects.get()
    assert (attempt.score_raw, attempt.score_max, attempt.grading) == (5, 10, "self")
    assert "no_interactions" in attempt.flags


def test_implausibly_fast_scores_are_flagged(learner, import_activity):
    from datetime import timedelta

    from courses.h5p.services.statements import statement_record

    activity = import_activity("H5P.CoursePresentation.h5p")
    home = "http://testserver/"
    attempted = attempted_statement(activity.pk)
    statement_record(user=learner.user, person=learner, statement=attempted, home_page=home)
    started = H5PAttempt.objects.get().started_at
    statement_record(
        user=learner.user,
        person=learner,
        statement=self_reported_statement(activity.pk, 8, 10),
        home_page=home,
        now=started + timedelta(seconds=1),
    )
    assert "too_fast" in H5PAttempt.objects.get().flags
    statement_record(user=learner.user, person=learner, statement=attempted, home_page=home)
    statement_record(
        user=learner.user,
        person=learner,
        statement=self_reported_statement(activity.pk, 8, 10),
        home_page=home,
        now=H5PAttempt.objects.filter(completed_at__isnull=True).get().started_at + timedelta(minutes=5),
    )
    assert "too_fast" not in H5PAttempt.objects.order_by("-id").first().flags


def test_self_reported_score_uses_our_maximum_when_known(signed_in, import_activity):
    activity = import_activity("H5P.CoursePresentation.h5p")
    activity.package.max_score = 4
    activity.package.save()
    assert post(signed_in, self_reported_statement(activity.pk, 90, 100)).status_code == 200
    attempt = H5PAttempt.objects.get()
    assert (attempt.score_raw, attempt.score_max) == (4, 4)
    assert "claimed_score_clamped" in attempt.flags


def test_a_new_attempt_starts_after_a_finished_one(signed_in, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    list(play(signed_in, captured("H5P.TrueFalse.statements.json", activity.pk)))
    wrong = captured("H5P.TrueFalse.statements.json", activity.pk)
    wrong[2]["result"]["response"] = "false"
    list(play(signed_in, wrong))
    scores = list(H5PAttempt.objects.order_by("id").values_list("score_raw", flat=True))
    assert scores == [1, 0]


def test_opening_the_player_again_restarts_the_attempt_clock(learner, import_activity):
    """A stale open attempt's start must not hide an implausibly fast answer after a new launch."""
    from datetime import timedelta

    from courses.h5p.services.statements import statement_record

    activity = import_activity("H5P.CoursePresentation.h5p")
    home = "http://testserver/"
    attempted = attempted_statement(activity.pk)
    statement_record(user=learner.user, person=learner, statement=dict(attempted, id=str(uuid.uuid4())), home_page=home)
    first_start = H5PAttempt.objects.get().started_at
    relaunch = first_start + timedelta(days=2)
    statement_record(
        user=learner.user, person=learner, statement=dict(attempted, id=str(uuid.uuid4())), home_page=home, now=relaunch
    )
    attempt = H5PAttempt.objects.get()  # still the one open attempt, its statements kept
    assert attempt.started_at == relaunch and H5PStatement.objects.filter(attempt=attempt).count() == 2
    statement_record(
        user=learner.user,
        person=learner,
        statement=self_reported_statement(activity.pk, 8, 10),
        home_page=home,
        now=relaunch + timedelta(seconds=1),
    )
    assert "too_fast" in H5PAttempt.objects.get().flags


def test_a_replay_after_the_attempt_finished_leaves_no_empty_attempt(signed_in, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    statements = list(play(signed_in, captured("H5P.TrueFalse.statements.json", activity.pk)))
    for statement in statements:  # the browser retries everything after a network blip
        assert post(signed_in, statement).status_code == 200
    assert H5PAttempt.objects.count() == 1
    assert H5PStatement.objects.count() == 3


def test_a_statement_runs_a_fixed_number_of_queries(signed_in, learner, import_activity, django_assert_num_queries):
    """Written in the request (no queue): the session, the user with profile, then in one
    transaction the known ids, the activity, the open attempt with its counts, then the statement
    store's INSERT, its relations and its check for an earlier voiding, and H5P's link row (the
    access check is cached per learner and activity). Finishing an attempt adds the grading read
    (content.json, once per process), the responses and the attempt's update; competency evidence
    is left to a task."""
    activity = import_activity("H5P.TrueFalse.h5p")
    attempted, interacted, answered = (
        dict(s, id=str(uuid.uuid4())) for s in captured("H5P.TrueFalse.statements.json", activity.pk)
    )
    from courses.h5p.services.statements import _package_content

    _package_content.cache_clear()  # a process reads each package's content.json once, on first grading
    assert post(signed_in, attempted).status_code == 200  # warms the per-learner access cache
    with django_assert_num_queries(11):  # 2 of them the transaction's savepoint and its release
        assert post(signed_in, interacted).status_code == 200
    with django_assert_num_queries(14):
        assert post(signed_in, answered).status_code == 200


@pytest.mark.parametrize(
    "host",
    ["http://evil.example", "https://testserver.evil.example", "http://user@evil.example", "http://testserver:8080"],
)
def test_an_activity_iri_on_another_host_is_refused(signed_in, import_activity, host):
    """Issue 18: ``http://evil.example/h5p/activities/<pk>/`` was filed under our activity <pk>."""
    activity = import_activity("H5P.TrueFalse.h5p")
    statement = dict(captured("H5P.TrueFalse.statements.json", activity.pk)[0], id=str(uuid.uuid4()))
    statement["object"]["id"] = statement["object"]["id"].replace("http://testserver", host)
    response = post(signed_in, statement)
    assert response.status_code == 400
    assert "object.id" in response.json()["error"]["message"]
    assert not H5PStatement.objects.exists() and not H5PAttempt.objects.exists()
