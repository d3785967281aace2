"""Play real H5P packages in chromium: the sandboxed player relays statements to the server,
which scores the attempt and records competency evidence."""

import pytest
from django.urls import reverse

from assessments.models import Evidence
from courses.h5p.models import H5PAttempt, H5PStatement, H5PUserData
from courses.h5p.services import h5p_activity_import
from tests.conftest import SHARED_TESTDATA
from tests.e2e.conftest import sign_in, wait_until
from tests.factories import make_person, make_unit

PASSWORD = "correct horse battery staple"
H5P = SHARED_TESTDATA / "h5p"

pytestmark = pytest.mark.testdata


def _site_root():
    """The default site's home page, rebuilt when an earlier transactional test flushed the tree."""
    from wagtail.models import Locale, Page, Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    vietnamese, _created = Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=vietnamese))
    home = root.add_child(instance=Page(title="HocSo", slug="home", locale=vietnamese))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="HocSo")
    return home


@pytest.fixture
def course(transactional_db):
    from courses.models import CourseIndexPage
    from tests.courses.conftest import make_course

    index = CourseIndexPage.objects.first() or _site_root().add_child(
        instance=CourseIndexPage(title="Khoá học", slug="courses")
    )
    return make_course(index, title="Digital skills", slug="digital-skills")


@pytest.fixture
def learner(course, settings, tmp_path):
    from assessments.services.frameworks import frameworks_ensure
    from tests.courses.h5p.conftest import enrol

    settings.H5P_STORAGE_ROOT = str(tmp_path / "h5p")
    frameworks_ensure()  # flushed by earlier transactional tests
    person = make_person("learner", make_unit("PAR", kind="embassy"))
    enrol(person, course)
    return person


def open_activity(page, course, name, *, in_lesson=False, **kwargs):
    from tests.courses.h5p.conftest import place_in_lesson

    activity = h5p_activity_import(path=H5P / name, title=name, **kwargs)
    lesson = place_in_lesson(course, activity)
    page.goto(lesson.url if in_lesson else reverse("h5p:activity", args=[activity.pk]))
    page.wait_for_selector("[data-h5p-activity][data-ready='1']", state="attached", timeout=30000)
    return activity, page.frame_locator("iframe.h5p-frame")


def wait_stored(page, verb_count_js="1"):
    """Wait until the parent page has had N statements accepted by the server."""
    wait_until(
        page, f"Number(document.querySelector('[data-h5p-activity]').dataset.sent) >= {verb_count_js}", timeout=20000
    )


def wait_for_score(page, learner, activity):
    wait_until(
        page, "Number(document.querySelector('[data-h5p-activity]').dataset.finalScores || 0) >= 1", timeout=20000
    )
    return H5PAttempt.objects.get(person=learner, activity=activity, completed_at__isnull=False)


def wait_for_evidence(learner, timeout: float = 20.0) -> Evidence:
    """The finished attempt's evidence is recorded by a task (eager here, or the real worker when the
    PostgreSQL suite has one running): wait for it rather than race it."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        evidence = Evidence.objects.filter(person=learner).first()
        if evidence is not None or time.monotonic() > deadline:
            assert evidence is not None, "no competency evidence recorded for the finished attempt"
            return evidence
        time.sleep(0.1)


def test_true_false_in_a_lesson_reaches_the_server_and_records_evidence(page, learner, course):
    sign_in(page, "learner", PASSWORD)
    activity, frame = open_activity(page, course, "H5P.TrueFalse.h5p", in_lesson=True, competencies=[("NT1", 1.0)])
    frame.get_by_role("radio", name="Yes").click()
    frame.get_by_role("button", name="Check").click()
    attempt = wait_for_score(page, learner, activity)
    assert (attempt.score_raw, attempt.score_max, attempt.grading, attempt.passed) == (1, 1, "server", True)
    answered = H5PStatement.objects.get(person=learner, verb="answered")
    assert answered.statement.raw["actor"]["account"]["name"] == learner.employee_number
    evidence = wait_for_evidence(learner)
    assert (evidence.source, evidence.score, evidence.self_reported) == ("h5p", 1.0, False)
    assert Evidence.objects.filter(person=learner).count() == 1


def test_multi_choice_wrong_answer_scores_zero(page, learner, course):
    sign_in(page, "learner", PASSWORD)
    activity, frame = open_activity(page, course, "H5P.MultiChoice.h5p")
    frame.get_by_role("radio", name="Blue").click()
    frame.get_by_role("button", name="Check").click()
    attempt = wait_for_score(page, learner, activity)
    assert (attempt.score_raw, attempt.score_max, attempt.grading, attempt.passed) == (0, 1, "server", False)


def test_single_choice_set_children_and_total(page, learner, course):
    sign_in(page, "learner", PASSWORD)
    activity, frame = open_activity(page, course, "H5P.SingleChoiceSet.h5p", competencies=[("NT2", 0.5)])
    for answer in ["Wolfberries", "Africa", "Dried"]:  # right, wrong, right
        frame.get_by_role("button", name=answer).or_(frame.get_by_text(answer, exact=True)).first.click()
        page.wait_for_timeout(1500)  # the set moves on to the next question by itself
    attempt = wait_for_score(page, learner, activity)
    assert attempt.item_responses.count() == 3
    assert (attempt.score_raw, attempt.score_max, attempt.grading) == (2, 3, "server")
    assert wait_for_evidence(learner).weight == 0.5
    assert Evidence.objects.filter(person=learner).count() == 1


def test_resume_state_is_saved_for_the_learner(page, learner, course):
    sign_in(page, "learner", PASSWORD)
    activity, frame = open_activity(page, course, "H5P.Blanks.h5p")
    frame.get_by_role("textbox").first.fill("blue")
    frame.get_by_role("textbox").nth(1).click()
    wait_until(
        page, "Number(document.querySelector('[data-h5p-activity]').dataset.statesSaved || 0) >= 1", timeout=30000
    )
    row = H5PUserData.objects.get(person=learner, activity=activity)
    assert "blue" in row.data
    # back on the page: the player starts from the saved answers
    page.goto(reverse("h5p:activity", args=[activity.pk]))
    page.wait_for_selector("[data-h5p-activity][data-ready='1']", state="attached", timeout=30000)
    assert page.frame_locator("iframe.h5p-frame").get_by_role("textbox").first.input_value() == "blue"


def test_activity_fits_a_phone(phone_page, learner, course):
    sign_in(phone_page, "learner", PASSWORD)
    activity, frame = open_activity(phone_page, course, "H5P.TrueFalse.h5p", in_lesson=True)
    frame.get_by_role("radio", name="Yes").wait_for()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, "the lesson scrolls sideways"
    height = phone_page.evaluate("document.querySelector('iframe.h5p-frame').getBoundingClientRect().height")
    assert height >= 200  # sized to its content by the player's resize messages


def test_statements_outlive_an_intake_outage_and_a_reload(page, learner, course):
    """Issue 18: the intake answers 503 with Retry-After while it cannot take statements; the page keeps them in
    localStorage, across a reload, and sends them once the server takes them again. Nothing is lost."""
    import json

    outage = {"down": True, "refused": 0}

    def intake(route):
        if outage["down"]:
            outage["refused"] += 1
            body = json.dumps({"error": {"message": "unavailable", "code": 503}})
            route.fulfill(status=503, headers={"Retry-After": "1", "Content-Type": "application/json"}, body=body)
        else:
            route.continue_()

    page.route("**/xapi/statements", intake)
    sign_in(page, "learner", PASSWORD)
    activity, frame = open_activity(page, course, "H5P.TrueFalse.h5p")
    frame.get_by_role("radio", name="Yes").click()
    frame.get_by_role("button", name="Check").click()
    wait_until(
        page,
        "Object.keys(localStorage).some(k => k.startsWith('hocso.xapi.outbox.') "
        "&& JSON.parse(localStorage[k]).length >= 2)",
        timeout=20000,
    )
    assert not H5PStatement.objects.filter(person=learner).exists()
    kept = page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('hocso.xapi.outbox.'))"
        ".map(k => JSON.parse(localStorage[k]).length).reduce((a, b) => a + b, 0)"
    )
    # the learner reloads during the outage: the statements are still there
    page.reload()
    page.wait_for_selector("[data-h5p-activity][data-ready='1']", state="attached", timeout=30000)
    page.wait_for_timeout(1500)
    assert outage["refused"] >= 2 and not H5PStatement.objects.filter(person=learner).exists()
    # the server is back: everything kept is sent, once
    outage["down"] = False
    wait_until(
        page,
        "Object.keys(localStorage).filter(k => k.startsWith('hocso.xapi.outbox.'))"
        ".every(k => JSON.parse(localStorage[k]).length === 0)",
        timeout=30000,
    )
    assert H5PStatement.objects.filter(person=learner).count() == kept
    attempt = H5PAttempt.objects.get(person=learner, activity=activity, completed_at__isnull=False)
    assert attempt.score_raw == 1


def _stored_answer(learner):
    # read once, after the page had its time: polling the in-memory SQLite database from the test thread
    # would lock the live server's writes
    attempt = H5PAttempt.objects.filter(person=learner, completed_at__isnull=False).first()
    assert attempt is not None, "the answer never reached the server"
    assert H5PStatement.objects.filter(person=learner, verb="answered").exists()
    return attempt


def test_statements_survive_leaving_the_page_right_after_answering(page, learner, course):
    sign_in(page, "learner", PASSWORD)
    # every statement is held back a moment, as on a slow link, so they are still in flight when the learner leaves
    page.route("**/xapi/statements", lambda route: (page.wait_for_timeout(300), route.continue_()))
    activity, frame = open_activity(page, course, "H5P.TrueFalse.h5p", in_lesson=True)
    frame.get_by_role("radio", name="Yes").click()
    frame.get_by_role("button", name="Check").click()
    page.goto("/my-learning/")
    page.wait_for_timeout(5000)
    attempt = _stored_answer(learner)
    assert (attempt.activity_id, attempt.score_raw) == (activity.pk, 1)


def test_statements_that_failed_are_sent_again_from_the_next_page(page, learner, course):
    sign_in(page, "learner", PASSWORD)
    page.route("**/xapi/statements", lambda route: route.abort("internetdisconnected"))
    activity, frame = open_activity(page, course, "H5P.TrueFalse.h5p", in_lesson=True)
    frame.get_by_role("radio", name="Yes").click()
    frame.get_by_role("button", name="Check").click()
    wait_until(
        page,
        "Object.keys(localStorage).some(k => k.startsWith('hocso.xapi.outbox.') && JSON.parse(localStorage[k]).length)",
    )
    page.wait_for_timeout(7000)  # the page's own retries (1 s, 2 s, 3 s) fail too
    assert not H5PStatement.objects.filter(person=learner).exists()
    page.unroute("**/xapi/statements")
    page.reload()
    wait_until(
        page,
        "!Object.keys(localStorage).some(k => k.startsWith('hocso.xapi.outbox.') && JSON.parse(localStorage[k]).length)",
    )
    page.wait_for_timeout(1000)
    attempt = _stored_answer(learner)
    assert attempt.activity_id == activity.pk and attempt.score_raw == 1
