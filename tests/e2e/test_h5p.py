"""Play real H5P packages in chromium: the sandboxed player relays statements to the server,
which scores the attempt and records competency evidence."""

import pytest
from django.urls import reverse

from assessments.models import Evidence
from courses.h5p.models import H5PAttempt, H5PStatement, H5PUserData
from courses.h5p.services import h5p_activity_import
from tests.conftest import SHARED_TESTDATA
from tests.e2e.conftest import sign_in
from tests.factories import make_person, make_unit

PASSWORD = "correct horse battery staple"
H5P = SHARED_TESTDATA / "h5p"


@pytest.fixture
def learner(transactional_db, settings, tmp_path):
    from assessments.services.frameworks import frameworks_ensure

    settings.H5P_STORAGE_ROOT = str(tmp_path / "h5p")
    frameworks_ensure()  # flushed by earlier transactional tests
    return make_person("learner", make_unit("PAR", kind="embassy"))


def open_activity(page, name, **kwargs):
    activity = h5p_activity_import(path=H5P / name, title=name, **kwargs)
    page.goto(reverse("h5p:activity", args=[activity.pk]))
    page.wait_for_selector("[data-h5p-activity][data-ready='1']", state="attached", timeout=30000)
    return activity, page.frame_locator("iframe.h5p-frame")


def wait_stored(page, verb_count_js="1"):
    """Wait until the parent page has had N statements accepted by the server."""
    page.wait_for_function(
        f"Number(document.querySelector('[data-h5p-activity]').dataset.sent) >= {verb_count_js}", timeout=20000
    )


def wait_for_score(page, learner, activity):
    page.wait_for_function(
        "Number(document.querySelector('[data-h5p-activity]').dataset.finalScores || 0) >= 1", timeout=20000
    )
    return H5PAttempt.objects.get(person=learner, activity=activity, completed_at__isnull=False)


def test_true_false_answered_reaches_the_server_and_records_evidence(page, learner):
    sign_in(page, "learner", PASSWORD)
    activity, frame = open_activity(page, "H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)])
    frame.get_by_role("radio", name="Yes").click()
    frame.get_by_role("button", name="Check").click()
    attempt = wait_for_score(page, learner, activity)
    assert (attempt.score_raw, attempt.score_max, attempt.grading, attempt.passed) == (1, 1, "server", True)
    answered = H5PStatement.objects.get(person=learner, verb="answered")
    assert answered.raw["actor"]["account"]["name"] == learner.employee_number
    evidence = Evidence.objects.get(person=learner)
    assert (evidence.source, evidence.score, evidence.self_reported) == ("h5p", 1.0, False)


def test_multi_choice_wrong_answer_scores_zero(page, learner):
    sign_in(page, "learner", PASSWORD)
    activity, frame = open_activity(page, "H5P.MultiChoice.h5p")
    frame.get_by_role("radio", name="Blue").click()
    frame.get_by_role("button", name="Check").click()
    attempt = wait_for_score(page, learner, activity)
    assert (attempt.score_raw, attempt.score_max, attempt.grading, attempt.passed) == (0, 1, "server", False)


def test_single_choice_set_children_and_total(page, learner):
    sign_in(page, "learner", PASSWORD)
    activity, frame = open_activity(page, "H5P.SingleChoiceSet.h5p", competencies=[("NT2", 0.5)])
    for answer in ["Wolfberries", "Africa", "Dried"]:  # right, wrong, right
        frame.get_by_role("button", name=answer).or_(frame.get_by_text(answer, exact=True)).first.click()
        page.wait_for_timeout(1500)  # the set moves on to the next question by itself
    attempt = wait_for_score(page, learner, activity)
    assert attempt.item_responses.count() == 3
    assert (attempt.score_raw, attempt.score_max, attempt.grading) == (2, 3, "server")
    assert Evidence.objects.get(person=learner).weight == 0.5


def test_resume_state_is_saved_for_the_learner(page, learner):
    sign_in(page, "learner", PASSWORD)
    activity, frame = open_activity(page, "H5P.Blanks.h5p")
    frame.get_by_role("textbox").first.fill("blue")
    frame.get_by_role("textbox").nth(1).click()
    page.wait_for_function(
        "Number(document.querySelector('[data-h5p-activity]').dataset.statesSaved || 0) >= 1", timeout=30000
    )
    row = H5PUserData.objects.get(person=learner, activity=activity)
    assert "blue" in row.data
    # back on the page: the player starts from the saved answers
    page.goto(reverse("h5p:activity", args=[activity.pk]))
    page.wait_for_selector("[data-h5p-activity][data-ready='1']", state="attached", timeout=30000)
    assert page.frame_locator("iframe.h5p-frame").get_by_role("textbox").first.input_value() == "blue"
