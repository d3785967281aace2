import csv
import io

import pytest
from django.contrib.auth.models import Group

from assessments.models import Evidence
from assessments.quizzes.keys import masks_for
from assessments.quizzes.models import Attempt, QuestionChoice
from assessments.quizzes.services import attempts as services
from courses.services.authoring import catalogue_authoring_setup
from lms import roles
from lms.models import StaffProfile
from tests.assessments.quizzes.conftest import make_quiz
from tests.factories import make_person


@pytest.fixture
def browser(client, learner):
    client.force_login(learner.user)
    return client


def test_landing_start_answer_by_form_and_review(browser, course, bank):
    quiz = make_quiz(course, questions=[bank["single"], bank["numeric"], bank["ordering"]], review=4)
    page = browser.get(quiz.url)
    assert page.status_code == 200 and f'action="{quiz.url}start/"' in page.content.decode()
    started = browser.post(quiz.url + "start/")
    attempt = Attempt.objects.get(quiz=quiz)
    assert started.status_code == 302 and started["Location"].endswith(f"attempt/{attempt.pk}/")
    taking = browser.get(started["Location"]).content.decode()
    assert "fb B" not in taking and "is_correct" not in taking  # no key, no feedback before submission
    items = {i.question_id: i for i in attempt.items.all()}
    order = items[bank["ordering"].pk]
    right_b = str(bank["single"].choices.get(text="B").pk)
    masks = masks_for(order)  # the page names ordering items by per-attempt opaque ids
    ordering_ids = [masks.choice(c["id"]) for c in order.version.snapshot["choices"]]
    assert not any(f'q-{order.pk}-{c["id"]}"' in taking for c in order.version.snapshot["choices"])
    form = {
        "from_form": "1",
        "action": "save",
        f"q-{items[bank['single'].pk].pk}": right_b,
        f"q-{items[bank['numeric'].pk].pk}": "3,5",
        **{f"q-{order.pk}-{cid}": str(pos) for pos, cid in enumerate(ordering_ids, start=1)},
    }
    saved = browser.post(quiz.url + f"attempt/{attempt.pk}/submit/", form)
    assert saved.status_code == 302 and Attempt.objects.get(pk=attempt.pk).status == "in_progress"
    resumed = browser.get(quiz.url + f"attempt/{attempt.pk}/").content.decode()
    assert 'value="3,5"' in resumed
    form["action"] = "submit"
    browser.post(quiz.url + f"attempt/{attempt.pk}/submit/", form)
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.percent == 100
    result = browser.get(quiz.url + f"attempt/{attempt.pk}/").content.decode()
    assert "100%" in result and "fb B" in result
    # attempts remain (no limit) and the quiz is open: the key waits, and the page says so
    assert "Đáp án đúng được hiển thị khi bạn đã hết lượt làm bài" in result and "Đáp án đúng:" not in result


def test_someone_elses_attempt_page_is_404(browser, quiz, other, client):
    theirs, _ = services.attempt_start(person=other, quiz=quiz)
    assert browser.get(quiz.url + f"attempt/{theirs.pk}/").status_code == 404
    assert browser.post(quiz.url + f"attempt/{theirs.pk}/submit/", {"action": "submit"}).status_code == 404
    assert Attempt.objects.get(pk=theirs.pk).status == "in_progress"


def test_not_enrolled_is_404_and_anonymous_goes_to_sign_in(client, quiz, unit):
    assert client.get(quiz.url).status_code == 302
    outsider = make_person("outsider", unit)
    client.force_login(outsider.user)
    assert client.get(quiz.url).status_code == 404


def test_start_is_post_only(browser, quiz):
    assert browser.get(quiz.url + "start/").status_code == 405
    assert not Attempt.objects.exists()


# ---- trainer views ----


@pytest.fixture
def trainer(unit, course):
    person = make_person("trainer1", unit, role=roles.TRAINERS)
    Group.objects.get_or_create(name=roles.TRAINERS)
    roles.sync_roles()
    catalogue_authoring_setup(catalogue=course.get_parent())
    return person.user


@pytest.fixture
def graded(quiz, learner, other, bank):
    for person, text in ((learner, "B"), (other, "A")):
        attempt, _ = services.attempt_start(person=person, quiz=quiz)
        item = attempt.items.get(question=bank["single"])
        choice = str(bank["single"].choices.get(text=text).pk)
        services.attempt_answers_save(attempt_id=attempt.pk, person=person, answers={str(item.pk): choice})
        services.attempt_submit(attempt_id=attempt.pk, person=person)
    return quiz


def test_trainer_sees_results_csv_and_item_analysis(client, trainer, graded, django_assert_max_num_queries):
    client.force_login(trainer)
    page = client.get(f"/admin/quizzes/{graded.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Nguyễn Thị Hồng Nhung" in body and "Trần Văn Bình" in body
    exported = client.get(f"/admin/quizzes/{graded.pk}/results.csv")
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    # the table of the page: its columns, in the reader's language, zone and decimal mark
    assert rows[0] == [
        "Họ và tên",
        "Mã cán bộ",
        "Đơn vị",
        "Số lượt",
        "Lần nộp gần nhất (Asia/Ho_Chi_Minh)",
        "Điểm (%)",
        "Đạt",
        "Từng lượt (%)",
    ]
    assert len(rows) == 3
    grades = {r[0]: float(r[5].replace(",", ".")) for r in rows[1:]}
    assert grades["Nguyễn Thị Hồng Nhung"] > grades["Trần Văn Bình"]
    items = client.get(f"/admin/quizzes/{graded.pk}/items/")
    assert items.status_code == 200 and "/static/plotly/plotly-cartesian.min.js" in items.content.decode()
    assert "cdn.plot.ly" not in items.content.decode() and 'data-figure="item-chart-data"' in items.content.decode()
    assert client.get("/admin/quizzes/").status_code == 200


def test_results_csv_neutralises_formula_like_names(client, trainer, graded, learner):
    # given a learner whose name a spreadsheet would run as a formula
    StaffProfile.objects.filter(pk=learner.pk).update(full_name="=cmd|' /C calc'!A0")
    client.force_login(trainer)
    # when the results are exported
    exported = client.get(f"/admin/quizzes/{graded.pk}/results.csv")
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    # then the name is text (apostrophe-prefixed) and numbers are untouched
    row = next(r for r in rows[1:] if r[1] == learner.employee_number)
    assert row[0] == "'=cmd|' /C calc'!A0"
    assert float(row[5].replace(",", ".")) >= 0


def test_trainer_regrades_after_a_key_fix(client, trainer, graded, bank, other, django_capture_on_commit_callbacks):
    client.force_login(trainer)
    QuestionChoice.objects.filter(question=bank["single"], text="A").update(is_correct=True)
    QuestionChoice.objects.filter(question=bank["single"], text="B").update(is_correct=False)
    before = Attempt.objects.get(person=other).points
    assert client.get(f"/admin/quizzes/{graded.pk}/regrade/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/quizzes/{graded.pk}/regrade/")
    assert response.status_code == 302
    assert Attempt.objects.get(person=other).points == before + 1
    assert (
        Evidence.objects.filter(source_ref=Attempt.objects.get(person=other).source_ref)
        .exclude(superseded_at=None)
        .exists()
    )


def test_learners_and_other_trainers_cannot_see_results(client, graded, learner, unit):
    client.force_login(learner.user)
    assert client.get(f"/admin/quizzes/{graded.pk}/").status_code in (302, 403, 404)
    assert client.post(f"/admin/quizzes/{graded.pk}/regrade/").status_code in (302, 403, 404)
    outsider = make_person("trainer2", unit, role=roles.TRAINERS)  # a trainer with no edit right on this course
    roles.sync_roles()
    client.force_login(outsider.user)
    assert client.get(f"/admin/quizzes/{graded.pk}/").status_code == 404
    assert client.get(f"/admin/quizzes/{graded.pk}/results.csv").status_code == 404


def test_results_page_runs_a_fixed_number_of_queries(client, trainer, quiz, bank, unit, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.services.enrolment import enrolment_create

    client.force_login(trainer)
    client.get(f"/admin/quizzes/{quiz.pk}/")  # warms the cache of originals (courses.selectors.canonical_page)
    counts = []
    for batch in range(2):
        for i in range(3):
            person = make_person(f"p{batch}{i}", unit)
            enrolment_create(person=person, course=course)
            attempt, _ = services.attempt_start(person=person, quiz=quiz)
            services.attempt_submit(attempt_id=attempt.pk, person=person)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/admin/quizzes/{quiz.pk}/").status_code == 200
        counts.append(len(ctx.captured_queries))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/admin/quizzes/{quiz.pk}/items/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


def test_quiz_page_in_the_admin_links_to_its_results(client, trainer, quiz):
    client.force_login(trainer)
    response = client.get(f"/admin/pages/{quiz.pk}/edit/")
    assert response.status_code == 200
    assert f"/admin/quizzes/{quiz.pk}/" in response.content.decode()


def test_admin_preview_shows_the_landing_page(rf, trainer, quiz):
    request = rf.get("/")
    request.user = trainer
    response = quiz.make_preview_request(original_request=request)
    assert response.status_code == 200
    body = response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
    assert quiz.title in body and "start/" not in body


def test_trainers_manage_overrides_and_the_bank_in_the_admin(client, trainer, quiz, learner):
    client.force_login(trainer)
    assert client.get("/admin/quiz_overrides/").status_code == 200
    response = client.post(
        "/admin/quiz_overrides/new/",
        {"quiz": quiz.pk, "person": learner.pk, "extra_minutes": "15", "extra_attempts": "1", "note": "Khuyết tật"},
    )
    assert response.status_code == 302
    assert quiz.overrides.get().extra_minutes == 15
    assert client.get("/admin/snippets/quizzes/question/").status_code == 200


def test_the_quiz_clock_and_saved_at_read_the_learners_zone(browser, course, bank, learner):
    """An officer in Paris saw the deadline on Hanoi's clock and "saved at" on the browser's: one zone now."""
    import datetime
    import json
    from zoneinfo import ZoneInfo

    from freezegun import freeze_time

    learner.unit.time_zone = "Europe/Paris"
    learner.unit.save()
    browser.force_login(learner.user)  # the session learns the zone at sign-in
    quiz = make_quiz(course, questions=[bank["single"]], time_limit_minutes=30, slug="timed-zone")
    with freeze_time(datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)):
        browser.post(quiz.url + "start/")
        attempt = Attempt.objects.get(quiz=quiz)
        page = browser.get(quiz.url + f"attempt/{attempt.pk}/").content.decode()
    assert attempt.deadline.astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M") == "10:30"
    assert "10:30 (UTC+1)" in page and "16:30" not in page
    script = json.loads(page.split('id="quiz-messages" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert script["zone"] == "Europe/Paris" and script["zone_label"] == "UTC+1"


def test_rich_text_that_is_not_the_editors_json_is_refused_not_a_server_error(client, trainer, bank):
    """Wagtail's rich-text widget parses its field as JSON before validation; a post holding anything else was a
    500 (the form fuzzer found it on the question editor). Now a 400 with a reason, and the question unchanged."""
    question = bank["single"]
    before = question.stem
    client.force_login(trainer)
    response = client.post(
        f"/admin/snippets/quizzes/question/edit/{question.pk}/", {"title": "x", "stem": "not json", "kind": "single"}
    )
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.stem == before
