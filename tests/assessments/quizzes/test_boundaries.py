"""Quiz answers at the boundary (issue 18): a NUL character, a lone surrogate and a 400-digit number answered
500; they answer 400 with a reason and nothing is written. On PostgreSQL (DATABASE_URL) as well as SQLite."""

from __future__ import annotations

import pytest
from django.test import Client

from assessments.quizzes.models import Attempt, AttemptQuestion
from tests.assessments.quizzes.conftest import make_quiz


@pytest.fixture
def api(learner):
    client = Client()
    client.force_login(learner.user)
    return client


def started(client, quiz) -> dict:
    response = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts")
    assert response.status_code in (200, 201), response.content
    return response.json()


def nothing_answered(attempt_id) -> bool:
    return not AttemptQuestion.objects.filter(attempt_id=attempt_id, response__isnull=False).exists()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [('"a\\u0000b"', "NUL"), ('"\\ud800"', "UTF-16"), ("9" * 400, "9999"), ('["\\u0000"]', "NUL"), ("1e999", "1e999")],
)
def test_malformed_answers_are_refused_by_the_api(api, quiz, raw, reason):
    data = started(api, quiz)
    for question in data["questions"]:
        body = '{"answers": {"%s": %s}}' % (question["id"], raw)
        response = api.put(f"/api/v1/attempts/{data['id']}/answers", data=body, content_type="application/json")
        assert response.status_code == 400, (question["kind"], response.content)
        assert reason in response.json()["detail"]
    assert nothing_answered(data["id"])


def test_a_400_digit_number_typed_into_a_numeric_question_is_graded_not_a_server_error(api, course, bank):
    quiz = make_quiz(course, questions=[bank["numeric"]], slug="huge-number")
    data = started(api, quiz)
    (question,) = data["questions"]
    url = f"/api/v1/attempts/{data['id']}/answers"
    response = api.put(url, data={"answers": {str(question["id"]): "9" * 400}}, content_type="application/json")
    assert response.status_code in (200, 400), response.content
    submitted = api.post(f"/api/v1/attempts/{data['id']}/submit")
    assert submitted.status_code == 200, submitted.content
    assert Attempt.objects.get(pk=data["id"]).percent == 0


def test_a_nul_in_the_no_javascript_form_is_refused_and_nothing_is_saved(api, quiz):
    data = started(api, quiz)
    attempt = Attempt.objects.get(pk=data["id"])
    form = {"from_form": "1", "action": "save", **{f"q-{q['id']}": "x\x00" for q in data["questions"]}}
    response = api.post(quiz.url + f"attempt/{attempt.pk}/submit/", form)
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert nothing_answered(attempt.pk)


def test_a_nul_in_an_urlencoded_form_is_refused_too(api, quiz):
    data = started(api, quiz)
    body = "from_form=1&action=save&" + "&".join(f"q-{q['id']}=x%00" for q in data["questions"])
    url = quiz.url + f"attempt/{data['id']}/submit/"
    response = api.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and nothing_answered(data["id"])
