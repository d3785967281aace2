"""CMI checks: pure, no database."""

import pytest

from courses.scorm import cmi
from courses.scorm.errors import CMIError


def test_scorm12_commit_is_read():
    state = cmi.cmi_check(
        "1.2",
        {
            "cmi.core.lesson_location": "page-3",
            "cmi.core.lesson_status": "passed",
            "cmi.core.score.raw": "85",
            "cmi.core.score.min": "0",
            "cmi.core.score.max": "100",
            "cmi.core.session_time": "00:01:30.5",
            "cmi.core.exit": "suspend",
            "cmi.suspend_data": "abc",
            "cmi.core.student_id": "ignored",
            "cmi.interactions.0.id": "q1",
        },
    )
    assert (state.location, state.completion_status, state.success_status) == ("page-3", "completed", "passed")
    assert state.score_scaled == 0.85
    assert state.session_seconds == 90.5
    assert state.exit == "suspend"
    assert state.extra == {"cmi.interactions.0.id": "q1"}


def test_scorm12_mastery_score_decides_pass():
    values = {"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "70"}
    assert cmi.cmi_check("1.2", values, mastery_score=80).success_status == "failed"
    assert cmi.cmi_check("1.2", values, mastery_score=60).success_status == "passed"


def test_scorm2004_commit_is_read():
    state = cmi.cmi_check(
        "2004",
        {
            "cmi.location": "p2",
            "cmi.completion_status": "completed",
            "cmi.success_status": "failed",
            "cmi.score.scaled": "0.4",
            "cmi.session_time": "PT1H2M3.5S",
            "cmi.progress_measure": "1",
        },
    )
    assert state.completion_status == "completed" and state.success_status == "failed"
    assert state.score_scaled == 0.4
    assert state.session_seconds == 3723.5


@pytest.mark.parametrize(
    ("version", "values", "code", "element"),
    [
        ("1.2", {"cmi.core.lesson_status": "done"}, 405, "cmi.core.lesson_status"),
        ("1.2", {"cmi.core.score.raw": "101"}, 405, "cmi.core.score.raw"),
        ("1.2", {"cmi.core.score.raw": "abc"}, 405, "cmi.core.score.raw"),
        ("1.2", {"cmi.core.session_time": "PT1M"}, 405, "cmi.core.session_time"),
        ("1.2", {"cmi.core.lesson_location": "x" * 256}, 405, "cmi.core.lesson_location"),
        ("1.2", {"cmi.suspend_data": "x" * 4097}, 405, "cmi.suspend_data"),
        ("1.2", {"cmi.core.exit": "normal"}, 405, "cmi.core.exit"),
        ("2004", {"cmi.score.scaled": "1.5"}, 407, "cmi.score.scaled"),
        ("2004", {"cmi.score.scaled": "high"}, 406, "cmi.score.scaled"),
        ("2004", {"cmi.progress_measure": "-0.1"}, 407, "cmi.progress_measure"),
        ("2004", {"cmi.completion_status": "passed"}, 406, "cmi.completion_status"),
        ("2004", {"cmi.success_status": "completed"}, 406, "cmi.success_status"),
        ("2004", {"cmi.session_time": "01:00:00"}, 406, "cmi.session_time"),
        ("2004", {"cmi.location": {"nested": 1}}, 406, "cmi.location"),
        ("2004", {"cmi.suspend_data": "x" * 64001}, 407, "cmi.suspend_data"),
        # an infinite or absurd duration would become the total time (and break every later display)
        ("2004", {"cmi.session_time": "PT" + "9" * 400 + "S"}, 407, "cmi.session_time"),
        ("2004", {"cmi.session_time": "P2000Y"}, 407, "cmi.session_time"),
    ],
)
def test_bad_values_give_the_scorm_error(version, values, code, element):
    with pytest.raises(CMIError) as caught:
        cmi.cmi_check(version, values)
    assert caught.value.scorm_code == code
    assert caught.value.element == element


def test_not_an_object():
    with pytest.raises(CMIError) as caught:
        cmi.cmi_check("2004", ["cmi.location"])
    assert caught.value.scorm_code == 201


@pytest.mark.parametrize(
    ("version", "seconds", "text"), [("1.2", 3723.5, "0001:02:03.50"), ("2004", 3723.5, "PT1H2M3.5S")]
)
def test_timespans_round_trip(version, seconds, text):
    assert cmi.format_timespan(version, seconds) == text
    assert cmi.timespan_seconds(version, "x", text) == seconds


def test_a_stored_total_that_is_not_finite_still_formats():
    assert cmi.format_timespan("2004", float("inf")) == "PT0H0M0S"
