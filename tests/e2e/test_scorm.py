"""Play Rustici's golf examples (SCORM 1.2 and 2004 3rd edition) in chromium: the player on its own
origin (localhost <-> 127.0.0.1), scorm-again in the player page, the SCO in a frame inside it.
Asserts what reached the server, that closing the tab and coming back resumes, and that finishing
completes the lesson and records self-reported evidence."""

import time

import pytest
from django.db import OperationalError
from django.urls import reverse

from assessments.models import Evidence
from courses.models import LessonProgress
from courses.scorm.models import SCORMAttempt, SCORMScoState
from courses.scorm.services import scorm_activity_import
from tests.conftest import SHARED_TESTDATA
from tests.e2e.conftest import sign_in
from tests.factories import make_person, make_unit

pytestmark = pytest.mark.testdata

PASSWORD = "correct horse battery staple"
SCORM = SHARED_TESTDATA / "scorm"

# Answers every question of the golf test with its right answer (the page keeps them in ``test``).
ANSWER_ALL = """() => {
  for (const q of test.Questions) {
    if (q.Type == QUESTION_TYPE_CHOICE) {
      document.getElementById('question_' + q.Id + '_' + q.Answers.indexOf(q.CorrectAnswer)).checked = true;
    } else if (q.Type == QUESTION_TYPE_TF) {
      document.getElementById('question_' + q.Id + '_' + (q.CorrectAnswer ? 'True' : 'False')).checked = true;
    } else {
      document.getElementById('question_' + q.Id + '_Text').value = String(q.CorrectAnswer);
    }
  }
}"""


@pytest.fixture
def course(transactional_db):
    from courses.models import CourseIndexPage
    from tests.courses.conftest import make_course
    from tests.e2e.test_h5p import _site_root

    index = CourseIndexPage.objects.first() or _site_root().add_child(
        instance=CourseIndexPage(title="Khoá học", slug="courses")
    )
    return make_course(index, title="Golf", slug="golf")


@pytest.fixture
def learner(course, settings, tmp_path):
    from assessments.services.frameworks import frameworks_ensure
    from courses.services.enrolment import enrolment_create

    settings.SCORM_STORAGE_ROOT = str(tmp_path / "scorm")
    settings.SCORM_PLAYER_ORIGIN = ""
    settings.H5P_PLAYER_ORIGIN = ""
    frameworks_ensure()  # flushed by earlier transactional tests
    person = make_person("learner", make_unit("PAR", kind="embassy"))
    enrolment_create(person=person, course=course)
    return person


def place(course, name, **kwargs):
    from tests.courses.scorm.conftest import place_in_lesson

    activity = scorm_activity_import(path=SCORM / name, title=name, **kwargs)
    return activity, place_in_lesson(course, activity)


def open_player(page, url):
    page.goto(url)
    page.wait_for_selector("[data-scorm-activity][data-ready='1']", state="attached", timeout=30000)
    return page.frame_locator("iframe.scorm-frame").frame_locator("iframe.scorm-content")


def wait_until(page, check, timeout: float = 30.0, what: str = "the server to have it"):
    """Poll ``check`` (the database or the page's frames); waiting through Playwright lets the page
    go on with its events meanwhile (a plain sleep would freeze them)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except OperationalError:  # SQLite: the live server is writing that table right now
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(200)


def sco_state(learner, activity, **filters):
    return SCORMScoState.objects.filter(attempt__person=learner, attempt__activity=activity, **filters).first()


def test_golf_scorm12_records_resumes_and_completes(page, learner, course, live_server):
    activity, lesson = place(course, "RuntimeBasicCalls_SCORM12.zip", competencies=[("NT1", 1.0)])
    page.on("dialog", lambda dialog: dialog.accept())  # "resume where you left off?"
    sign_in(page, "learner", PASSWORD)
    sco = open_player(page, lesson.url)
    # The player runs on the other spelling of the local host, never on the site's origin.
    player = page.locator("iframe.scorm-frame").get_attribute("src")
    assert ("127.0.0.1" in player) != ("127.0.0.1" in live_server.url)
    sco.locator("#butNext").click()
    sco.locator("#butNext").click()
    sco.locator("#butNext").click()
    state = wait_until(page, lambda: sco_state(learner, activity, location="3"), what="the bookmark (autocommit)")
    assert state.completion_status == "incomplete"

    # Close the tab: the SCO's unload handler finishes the session, scorm-again sends it as a beacon.
    page.goto("/")
    state = wait_until(page, lambda: sco_state(learner, activity, exit="suspend"), what="the suspended session")
    assert state.session_seconds > 0 and state.total_seconds == state.session_seconds

    # Back again: the learner resumes on page 3 of the SCO.
    sco = open_player(page, lesson.url)
    content = sco.frame_locator("#contentFrame")
    content.locator("h1").first.wait_for()
    assert sco.locator("#butPrevious").is_enabled()
    assert "OtherScoring" in page.frames[-1].url or any("OtherScoring" in f.url for f in page.frames)

    # On to the test, answer everything right, submit: passed, score 100.
    for _ in range(11):
        sco.locator("#butNext").click()
    test_frame = next(f for f in wait_until(page, lambda: [f for f in page.frames if "assessmenttemplate" in f.url]))
    test_frame.wait_for_load_state()
    test_frame.evaluate(ANSWER_ALL)
    test_frame.get_by_role("button", name="Submit Answers").click()
    sco.locator("#butExit").click()
    attempt = wait_until(
        page,
        lambda: SCORMAttempt.objects.filter(person=learner, activity=activity, completed_at__isnull=False).first(),
        what="the completed attempt",
    )
    assert attempt.passed is True and attempt.score_scaled == 1.0
    state = wait_until(page, lambda: sco_state(learner, activity, exit=""), what="the finished session")
    assert (state.success_status, state.score_raw, state.exit) == ("passed", 100, "")
    assert state.total_seconds > state.session_seconds  # two sessions added up on the server
    evidence = wait_until(
        page, lambda: Evidence.objects.filter(person=learner, source="scorm").first(), what="evidence"
    )
    assert evidence.self_reported is True and evidence.score == 1.0
    wait_until(
        page,
        lambda: LessonProgress.objects.filter(
            enrolment__person=learner, lesson=lesson, completed_at__isnull=False
        ).exists(),
        what="the lesson completed",
    )


def test_golf_scorm2004_records_and_resumes(page, learner, course):
    activity, _lesson = place(course, "RuntimeBasicCalls_SCORM20043rdEdition.zip")
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "learner", PASSWORD)
    sco = open_player(page, reverse("scorm:activity", args=[activity.pk]))
    sco.locator("#butNext").click()
    sco.locator("#butNext").click()
    state = wait_until(page, lambda: sco_state(learner, activity, location="2"), what="the 2004 bookmark")
    assert state.completion_status == "incomplete"
    page.goto("/")
    state = wait_until(page, lambda: sco_state(learner, activity, exit="suspend"), what="the suspended 2004 session")
    sco = open_player(page, reverse("scorm:activity", args=[activity.pk]))
    sco.frame_locator("#contentFrame").locator("h1").first.wait_for()
    assert any("Scoring.html" in f.url for f in page.frames)  # page 2 of the SCO: resumed
    # To the test, everything right, submit, exit: what reached the server is the 2004 data model's.
    for _ in range(12):
        sco.locator("#butNext").click()
    test_frame = next(f for f in wait_until(page, lambda: [f for f in page.frames if "assessmenttemplate" in f.url]))
    test_frame.wait_for_load_state()
    test_frame.evaluate(ANSWER_ALL)
    test_frame.get_by_role("button", name="Submit Answers").click()
    sco.locator("#butExit").click()
    attempt = wait_until(
        page,
        lambda: SCORMAttempt.objects.filter(person=learner, activity=activity, completed_at__isnull=False).first(),
        what="the completed 2004 attempt",
    )
    assert attempt.passed is True and attempt.score_scaled == 1.0
    state = wait_until(page, lambda: sco_state(learner, activity, exit=""), what="the finished 2004 session")
    assert (state.completion_status, state.success_status, state.score_raw) == ("completed", "passed", 100)


def test_multi_sco_package_shows_its_contents(page, learner, course):
    activity, _lesson = place(course, "ContentPackagingOneFilePerSCO_SCORM12.zip")
    sign_in(page, "learner", PASSWORD)
    open_player(page, reverse("scorm:activity", args=[activity.pk]))
    player = page.frame_locator("iframe.scorm-frame")
    toc = player.get_by_role("navigation")
    assert toc.get_by_text("Playing the Game").is_visible()
    toc.get_by_role("button", name="Par").click()
    wait_until(page, lambda: sco_state(learner, activity, item_identifier="playing_par_item"), what="the asset opened")
    assert any(f.url.endswith("Playing/Par.html") for f in page.frames)
