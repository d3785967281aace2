import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from assessments.quizzes.models import Attempt, AttemptQuestion, QuizPage, ReviewLevel
from tests.assessments.quizzes.conftest import make_quiz, right_answer


@pytest.fixture
def api(learner):
    client = Client()
    client.force_login(learner.user)
    return client


def put(client, url, body, **extra):
    return client.put(url, data=json.dumps(body), content_type="application/json", **extra)


def start(client, quiz):
    response = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts")
    assert response.status_code in (200, 201), response.content
    return response.json()


def test_quiz_list_shows_what_the_person_may_take(api, quiz, course, bank, django_assert_num_queries):
    api.get("/api/v1/quizzes/")
    for i in range(3):
        make_quiz(course, questions=[bank["single"]], slug=f"extra-{i}")
    # session, user with profile, then a fixed number of reads whatever the number of quizzes
    # (one of them: the quizzes' titles in the caller's language)
    with django_assert_num_queries(11):
        response = api.get("/api/v1/quizzes/")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 4 and rows[0]["id"] == quiz.pk and rows[0]["course_title"] == "Chữ ký số"
    assert rows[0]["attempts_used"] == 0 and rows[0]["grade"] is None


def test_quizzes_of_courses_the_person_is_not_enrolled_in_are_hidden(quiz, unit):
    from tests.factories import make_person

    outsider = make_person("outsider", unit)
    client = Client()
    client.force_login(outsider.user)
    assert client.get("/api/v1/quizzes/").json() == []
    assert client.post(f"/api/v1/quizzes/{quiz.pk}/attempts").status_code == 404


def test_start_sends_questions_without_keys_or_feedback(api, quiz):
    data = start(api, quiz)
    assert data["status"] == "in_progress" and data["result"] is None and len(data["questions"]) == 7
    text = json.dumps(data)
    for secret in ('"correct"', "fb A", "accepted", "Chữ ký số\\ndigital", "tolerance", "feedback"):
        assert secret not in text
    # starting again resumes the same attempt
    again = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts")
    assert again.status_code == 200 and again.json()["id"] == data["id"]


def test_answer_submit_and_review_levels(api, quiz):
    quiz.max_attempts = 1  # the key is shown once no attempt is left
    quiz.save()
    data = start(api, quiz)
    url = f"/api/v1/attempts/{data['id']}"
    answers = {str(q["id"]): right_answer(q) for q in data["questions"]}
    saved = put(api, f"{url}/answers", {"answers": answers})
    assert saved.status_code == 200 and saved.json()["saved"] == 7
    assert put(api, f"{url}/answers", {"answers": answers}).status_code == 200  # idempotent
    shown = api.get(url).json()
    assert {str(q["id"]): q["response"] for q in shown["questions"]}[str(data["questions"][0]["id"])] is not None
    result = api.post(f"{url}/submit").json()["result"]
    assert result["percent"] == 100 and result["passed"] and len(result["questions"]) == 7
    row = result["questions"][0]
    assert row["correct"] and row["correct_answer"] is not None and "general" in row["feedback"]
    # a replayed submit returns the same result, no second grading
    again = api.post(f"{url}/submit")
    assert again.status_code == 200 and again.json()["result"]["percent"] == 100
    assert Attempt.objects.get(pk=data["id"]).submitted_at == Attempt.objects.get(pk=data["id"]).submitted_at


@pytest.mark.parametrize(
    ("level", "keys"),
    [
        (ReviewLevel.SCORE, None),
        (ReviewLevel.CORRECTNESS, {"id", "points", "max_points", "correct", "correct_answer", "feedback"}),
        (ReviewLevel.ANSWERS, {"id", "points", "max_points", "correct", "correct_answer", "feedback"}),
    ],
)
def test_review_options_limit_what_is_shown(api, course, bank, level, keys):
    quiz = make_quiz(course, questions=[bank["single"]], review=level, slug=f"review-{level}", max_attempts=1)
    data = start(api, quiz)
    result = api.post(f"/api/v1/attempts/{data['id']}/submit").json()["result"]
    assert result["percent"] == 0
    if keys is None:
        assert result["questions"] == []
        return
    (row,) = result["questions"]
    assert row["correct"] is False
    if level == ReviewLevel.CORRECTNESS:
        assert row["correct_answer"] is None and row["feedback"] is None
    else:
        assert row["correct_answer"] == str(bank["single"].choices.get(text="B").pk) and row["feedback"] is None


def test_malformed_answers_get_400_naming_the_field_and_nothing_is_written(api, quiz, bank):
    data = start(api, quiz)
    url = f"/api/v1/attempts/{data['id']}/answers"
    ids = {q["kind"]: q["id"] for q in data["questions"]}
    response = put(
        api, url, {"answers": {str(ids["single"]): right_answer(data["questions"][0]), str(ids["numeric"]): "x"}}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == f"answers.{ids['numeric']}" and "“x” không phải là số" in body["detail"]
    assert body["detail"].startswith(f"Câu trả lời cho câu hỏi {ids['numeric']} không hợp lệ")
    assert not AttemptQuestion.objects.filter(attempt_id=data["id"], response__isnull=False).exists()
    assert put(api, url, {"answers": {"999999": True}}).json()["errors"][0]["field"] == "answers.999999"
    not_json = api.put(url, data="{", content_type="application/json")
    assert not_json.status_code == 400
    wrong_shape = put(api, url, {"answers": ["a"]})
    assert wrong_shape.status_code == 400 and "answers" in wrong_shape.json()["detail"]


def test_numeric_accepts_comma_and_point(api, course, bank):
    quiz = make_quiz(course, questions=[bank["numeric"]], slug="numeric")
    data = start(api, quiz)
    qid = str(data["questions"][0]["id"])
    assert put(api, f"/api/v1/attempts/{data['id']}/answers", {"answers": {qid: "3.5"}}).status_code == 200
    assert put(api, f"/api/v1/attempts/{data['id']}/answers", {"answers": {qid: "3,5"}}).status_code == 200
    assert api.post(f"/api/v1/attempts/{data['id']}/submit").json()["result"]["percent"] == 100


def test_someone_elses_attempt_is_404(api, quiz, other):
    client = Client()
    client.force_login(other.user)
    theirs = start(client, quiz)
    url = f"/api/v1/attempts/{theirs['id']}"
    assert api.get(url).status_code == 404
    assert put(api, f"{url}/answers", {"answers": {}}).status_code == 404
    assert api.post(f"{url}/submit").status_code == 404
    assert Attempt.objects.get(pk=theirs["id"]).status == "in_progress"


def test_after_deadline_beyond_limit_and_closed_are_refused(api, course, bank, learner):
    quiz = make_quiz(course, questions=[bank["true_false"]], time_limit_minutes=5, max_attempts=1, slug="timed")
    with freeze_time(timezone.now()) as clock:
        data = start(api, quiz)
        qid = str(data["questions"][0]["id"])
        clock.tick(600)
        late = put(api, f"/api/v1/attempts/{data['id']}/answers", {"answers": {qid: True}})
        assert late.status_code == 409 and "đã hết lúc" in late.json()["detail"]
        assert api.post(f"/api/v1/attempts/{data['id']}/submit").status_code == 409
        assert AttemptQuestion.objects.get(pk=qid).response is None
        # reading the attempt after its deadline shows it graded with what was saved
        shown = api.get(f"/api/v1/attempts/{data['id']}").json()
        assert shown["status"] == "submitted" and shown["auto_submitted"]
        beyond = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts")
        assert beyond.status_code == 403 and "hết 1 lượt" in beyond.json()["detail"]
    closed = make_quiz(course, questions=[bank["single"]], closes_at=timezone.now(), slug="closed")
    refused = api.post(f"/api/v1/quizzes/{closed.pk}/attempts")
    assert refused.status_code == 403 and Attempt.objects.filter(quiz=closed).count() == 0


def test_session_writes_need_csrf_and_bearer_tokens_work(quiz, learner, capsys):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner.user)
    assert browser.post(f"/api/v1/quizzes/{quiz.pk}/attempts").status_code == 403
    assert Attempt.objects.count() == 0
    call_command("create_api_token", learner.user.username, "--name", "LMS sync")
    token = capsys.readouterr().out.strip()
    api = Client(enforce_csrf_checks=True)
    response = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201
    assert api.get("/api/v1/quizzes/", HTTP_AUTHORIZATION=f"Bearer {token}").json()[0]["attempt_in_progress"]


def test_anonymous_is_401(client, quiz):
    assert client.get("/api/v1/quizzes/").status_code == 401


def test_openapi_documents_the_quiz_endpoints(api, db):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/quizzes/",
        "/api/v1/quizzes/{quiz_id}/attempts",
        "/api/v1/attempts/{attempt_id}",
        "/api/v1/attempts/{attempt_id}/answers",
        "/api/v1/attempts/{attempt_id}/submit",
    ):
        assert path in paths


# ---- no answer key in the ids the learner is given ----


@pytest.fixture
def key_quiz(course, bank):
    from tests.assessments.quizzes.conftest import make_question

    matching = make_question(
        "matching",
        "matching 4",
        choices=[
            ("PDF", False, "tài liệu"),
            ("USB token", False, "khoá"),
            ("CA", False, "cơ quan"),
            ("OTP", False, "mã"),
        ],
    )
    return make_quiz(course, questions=[matching, bank["ordering"]], max_attempts=2, review=ReviewLevel.ANSWERS)


def _by_kind(data):
    return {q["kind"]: q for q in data["questions"]}


def test_matching_target_ids_are_opaque_and_prompt_ids_give_no_advantage(api, key_quiz):
    data = start(api, key_quiz)
    matching = _by_kind(data)["matching"]
    item = AttemptQuestion.objects.get(pk=matching["id"])
    real = {c["id"] for c in item.version.snapshot["choices"]}
    prompts = [c["id"] for c in matching["choices"]]
    targets = [t["id"] for t in matching["targets"]]
    assert set(prompts) == real and not set(targets) & real  # no target carries a prompt's (or any real) id
    # the target ids only number the targets in the order shown: nothing the screen does not already show
    assert targets == [f"t{n}" for n in range(1, len(targets) + 1)]
    url = f"/api/v1/attempts/{data['id']}"
    # "each prompt -> the target with the same id" is now not even a valid answer: 400 naming the field
    cheat = put(api, f"{url}/answers", {"answers": {str(matching["id"]): {p: p for p in prompts}}})
    assert cheat.status_code == 400 and cheat.json()["errors"][0]["field"] == f"answers.{matching['id']}"
    assert AttemptQuestion.objects.get(pk=matching["id"]).response is None
    # the ids stay the same for the attempt (a reload, another tab)
    assert _by_kind(api.get(url).json())["matching"]["targets"] == matching["targets"]


def test_ordering_item_ids_are_not_the_choice_pks(api, key_quiz, bank):
    data = start(api, key_quiz)
    ordering = _by_kind(data)["ordering"]
    pks = {str(pk) for pk in bank["ordering"].choices.values_list("pk", flat=True)}
    shown = [c["id"] for c in ordering["choices"]]
    assert not set(shown) & pks and shown == [f"c{n}" for n in range(1, len(shown) + 1)]
    # sorting by id gives the order shown, which is never the right one
    assert [c["text"] for c in sorted(ordering["choices"], key=lambda c: c["id"])] != ["một", "hai", "ba"]
    real = [str(c.pk) for c in bank["ordering"].choices.order_by("sort_order")]
    refused = put(api, f"/api/v1/attempts/{data['id']}/answers", {"answers": {str(ordering["id"]): real}})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == f"answers.{ordering['id']}"


def test_take_save_resume_submit_round_trip_grades_opaque_ids(api, key_quiz):
    # first attempt: the right mapping and order, saved, resumed, submitted -> full marks
    data = start(api, key_quiz)
    url = f"/api/v1/attempts/{data['id']}"
    q = _by_kind(data)
    t = {x["text"]: x["id"] for x in q["matching"]["targets"]}
    p = {x["text"]: x["id"] for x in q["matching"]["choices"]}
    right_matching = {p["PDF"]: t["tài liệu"], p["USB token"]: t["khoá"], p["CA"]: t["cơ quan"], p["OTP"]: t["mã"]}
    right_ordering = right_answer(q["ordering"])
    answers = {str(q["matching"]["id"]): right_matching, str(q["ordering"]["id"]): right_ordering}
    assert put(api, f"{url}/answers", {"answers": answers}).status_code == 200
    # stored in real ids, shown back in the learner's ids after closing the tab
    item = AttemptQuestion.objects.get(pk=q["matching"]["id"])
    assert item.response == {c["id"]: c["id"] for c in item.version.snapshot["choices"]}
    resumed = _by_kind(api.get(url).json())
    assert resumed["matching"]["response"] == right_matching and resumed["ordering"]["response"] == right_ordering
    result = api.post(f"{url}/submit").json()["result"]
    assert result["percent"] == 100
    assert result["answers_withheld"] and all(row["correct_answer"] is None for row in result["questions"])
    # second attempt: matching all shifted by one, ordering reversed -> no full marks
    data = start(api, key_quiz)
    url = f"/api/v1/attempts/{data['id']}"
    q = _by_kind(data)
    t = {x["text"]: x["id"] for x in q["matching"]["targets"]}
    p = {x["text"]: x["id"] for x in q["matching"]["choices"]}
    wrong_matching = {p["PDF"]: t["khoá"], p["USB token"]: t["cơ quan"], p["CA"]: t["mã"], p["OTP"]: t["tài liệu"]}
    wrong_ordering = list(reversed(right_answer(q["ordering"])))
    answers = {str(q["matching"]["id"]): wrong_matching, str(q["ordering"]["id"]): wrong_ordering}
    assert put(api, f"{url}/answers", {"answers": answers}).status_code == 200
    result = api.post(f"{url}/submit").json()["result"]
    points = dict(AttemptQuestion.objects.filter(attempt_id=data["id"]).values_list("question__kind", "points"))
    assert points["matching"] == 0 and points["ordering"] < 1 and result["percent"] < 50
    # the last attempt: the review's key, in this attempt's (opaque) ids, is the right answer
    assert not result["answers_withheld"]
    review = {row["id"]: row for row in result["questions"]}
    right_matching = {p["PDF"]: t["tài liệu"], p["USB token"]: t["khoá"], p["CA"]: t["cơ quan"], p["OTP"]: t["mã"]}
    assert review[q["matching"]["id"]]["correct_answer"] == dict(sorted(right_matching.items()))
    assert review[q["ordering"]["id"]]["correct_answer"] == right_answer(q["ordering"])


# ---- the key waits until no attempt is left or the quiz closes ----


def test_correct_answers_wait_for_the_last_attempt(api, course, bank):
    quiz = make_quiz(course, questions=[bank["single"]], review=ReviewLevel.FEEDBACK, max_attempts=2, slug="two")
    data = start(api, quiz)
    answer = {str(data["questions"][0]["id"]): right_answer(data["questions"][0])}
    put(api, f"/api/v1/attempts/{data['id']}/answers", {"answers": answer})
    first = api.post(f"/api/v1/attempts/{data['id']}/submit").json()["result"]
    (row,) = first["questions"]
    assert first["answers_withheld"] and row["correct_answer"] is None
    assert row["feedback"]["choices"] == {right_answer(data["questions"][0]): "fb B"}  # own choices: fine
    assert row["feedback"]["general"] == ""
    assert api.get(f"/api/v1/attempts/{data['id']}").json()["result"]["questions"][0]["correct_answer"] is None
    data2 = start(api, quiz)
    last = api.post(f"/api/v1/attempts/{data2['id']}/submit").json()["result"]
    assert not last["answers_withheld"] and last["questions"][0]["correct_answer"] is not None
    # and the first attempt's review now shows the key too
    assert api.get(f"/api/v1/attempts/{data['id']}").json()["result"]["questions"][0]["correct_answer"] is not None


def test_correct_answers_show_once_the_quiz_closes(api, course, bank):
    closes = timezone.now() + timezone.timedelta(days=1)
    quiz = make_quiz(course, questions=[bank["single"]], review=ReviewLevel.ANSWERS, closes_at=closes, slug="c")
    data = start(api, quiz)
    url = f"/api/v1/attempts/{data['id']}"
    result = api.post(f"{url}/submit").json()["result"]
    assert result["answers_withheld"] and result["questions"][0]["correct_answer"] is None
    QuizPage.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - timezone.timedelta(minutes=1))
    shown = api.get(url).json()["result"]
    assert not shown["answers_withheld"] and shown["questions"][0]["correct_answer"] is not None
