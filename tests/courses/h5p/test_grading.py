"""Server-side re-grading, pure, against the real packages' content.json and captured statements."""

import json
import zipfile

import pytest

from courses.h5p import grading
from courses.h5p.grading import Score
from tests.conftest import require_testdata

from .conftest import H5P_DIR, XAPI_DIR

CAPTURED = XAPI_DIR / "h5p-captured-standalone-3.8.2"


def content_of(name: str) -> dict:
    require_testdata()
    with zipfile.ZipFile(H5P_DIR / name) as archive:
        return json.loads(archive.read("content/content.json"))


def captured(name: str) -> list[dict]:
    require_testdata()
    return json.loads((CAPTURED / name).read_text())


def claimed(statement) -> Score:
    score = statement["result"]["score"]
    return Score(score["raw"], score["max"])


@pytest.mark.parametrize(
    "package, statements, library",
    [
        ("H5P.TrueFalse.h5p", "H5P.TrueFalse.statements.json", "H5P.TrueFalse"),
        ("h5p-standalone-test.h5p", "h5p-standalone-test.statements.json", "H5P.TrueFalse"),
        ("H5P.MultiChoice.h5p", "H5P.MultiChoice.statements.json", "H5P.MultiChoice"),
        ("H5P.Blanks.h5p", "H5P.Blanks.statements.json", "H5P.Blanks"),
        ("H5P.DragText.h5p", "H5P.DragText.statements.json", "H5P.DragText"),
    ],
)
def test_server_agrees_with_honest_players(package, statements, library):
    answered = [s for s in captured(statements) if s["verb"]["id"].endswith("/answered")]
    assert answered
    for statement in answered:
        graded = grading.grade_item(library, content_of(package), statement["result"].get("response"))
        assert graded == claimed(statement)


def test_single_choice_set_children_and_total_agree_with_the_player():
    content = content_of("H5P.SingleChoiceSet.h5p")
    statements = captured("H5P.SingleChoiceSet.statements.json")
    children = grading.children("H5P.SingleChoiceSet 1.11", content)
    responses = {}
    for s in statements:
        if s["verb"]["id"].endswith("/answered"):
            sub = s["object"]["definition"]["extensions"]["http://h5p.org/x-api/h5p-subContentId"]
            library, params = children[sub]
            assert grading.grade_item(library, params, s["result"]["response"]) == claimed(s)
            responses[sub] = s["result"]["response"]
    completed = next(s for s in statements if s["verb"]["id"].endswith("/completed"))
    result = grading.grade_compound("H5P.SingleChoiceSet", content, responses)
    assert result.score == claimed(completed) == Score(2, 3)
    assert result.fully_server_graded


def test_question_set_child_agrees_and_unknown_children_are_self_reported():
    content = content_of("H5P.QuestionSet.h5p")
    answered = next(s for s in captured("H5P.QuestionSet.statements.json") if s["verb"]["id"].endswith("/answered"))
    sub = answered["object"]["definition"]["extensions"]["http://h5p.org/x-api/h5p-subContentId"]
    library, params = grading.find_sub_content(content, sub)
    assert library.startswith("H5P.MultiChoice")
    assert grading.grade_item(library, params, answered["result"]["response"]) == claimed(answered)
    result = grading.grade_compound("H5P.QuestionSet", content, {sub: answered["result"]["response"]})
    assert result.server_items == 1 and result.self_reported_items == 0
    assert result.unanswered_items == len(content["questions"]) - 1


def test_question_set_with_a_drag_question_counts_its_claim_clamped():
    content = content_of("H5P.QuestionSet.h5p")
    parts = grading.children("H5P.QuestionSet", content)
    drag = next(sub for sub, (lib, _p) in parts.items() if lib.startswith("H5P.DragQuestion"))
    result = grading.grade_compound("H5P.QuestionSet", content, {drag: "0[.]0"}, claimed={drag: Score(raw=99, max=1)})
    assert result.self_reported_items == 1 and not result.fully_server_graded
    assert result.score.raw == 1  # 99 clamped to the child's maximum


def test_true_false_forged_and_odd_responses():
    content = {"correct": "false"}
    assert grading.grade_item("H5P.TrueFalse", content, "false") == Score(1, 1)
    assert grading.grade_item("H5P.TrueFalse", content, "true") == Score(0, 1)
    assert grading.grade_item("H5P.TrueFalse", content, None) == Score(0, 1)


MULTI = {
    "answers": [{"correct": True}, {"correct": True}, {"correct": False}],
    "behaviour": {"singlePoint": False},
}


@pytest.mark.parametrize(
    "response, expected",
    [
        ("0[,]1", Score(2, 2)),
        ("0", Score(1, 2)),
        ("0[,]2", Score(0, 2)),
        ("2", Score(0, 2)),
        ("", Score(0, 2)),
        ("7", Score(0, 2)),
        ("0[,]0", Score(0, 2)),
        ("x", Score(0, 2)),
    ],
)
def test_multichoice_scoring(response, expected):
    assert grading.grade_item("H5P.MultiChoice 1.14", MULTI, response) == expected


def test_multichoice_single_point():
    params = dict(MULTI, behaviour={"singlePoint": True, "passPercentage": 100})
    assert grading.grade_item("H5P.MultiChoice", params, "0[,]1") == Score(1, 1)
    assert grading.grade_item("H5P.MultiChoice", params, "0") == Score(0, 1)


def test_blanks_case_alternatives_and_spelling_tolerance():
    params = {"questions": ["<p>*Oslo/Christiania:capital* and *Bergen*</p>"], "behaviour": {"caseSensitive": False}}
    assert grading.grade_item("H5P.Blanks", params, "christiania[,]BERGEN") == Score(2, 2)
    assert grading.grade_item("H5P.Blanks", params, "Stockholm[,]") == Score(0, 2)
    strict = dict(params, behaviour={"caseSensitive": True})
    assert grading.grade_item("H5P.Blanks", strict, "oslo[,]Bergen") == Score(1, 2)
    fuzzy = dict(params, behaviour={"acceptSpellingErrors": True})
    assert grading.grade_item("H5P.Blanks", fuzzy, "Olso[,]Bergen") is None  # left to the content


def test_dragtext_with_tips_and_feedback():
    params = {"textField": "Sky is *blue:a tip*. Grass is *green\\+Right!\\-Wrong*."}
    assert grading.grade_item("H5P.DragText", params, "blue[,]green") == Score(2, 2)
    assert grading.grade_item("H5P.DragText", params, "green[,]blue") == Score(0, 2)


def test_types_we_cannot_grade_return_none():
    assert grading.grade_item("H5P.CoursePresentation 1.22", {}, "x") is None
    assert grading.activity_max("H5P.CoursePresentation", {}) is None


def test_activity_max_for_compounds():
    assert grading.activity_max("H5P.SingleChoiceSet", content_of("H5P.SingleChoiceSet.h5p")) == 3
    assert grading.activity_max("H5P.QuestionSet", content_of("H5P.QuestionSet.h5p")) is None  # has a DragQuestion
