"""A quiz's evidence is at the band its questions assess: the question's, else the quiz's, else the course's."""

import contextlib

from django.apps import apps
from django.db import connection

from assessments.models import Evidence
from assessments.quizzes.models import Question, QuizPage
from assessments.quizzes.services import attempts as services
from tests.assessments.quizzes.conftest import make_question, make_quiz
from tests.assessments.quizzes.test_services import answer_all


def _submit(quiz, learner):
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    answer_all(attempt, learner)
    attempt, _ = services.attempt_submit(attempt_id=attempt.pk, person=learner)
    return attempt


def test_a_quiz_without_a_band_assesses_its_courses_level(course, learner, competency):
    course.level = "advanced"
    course.save()
    q = make_question("true_false", "tf", true_false_answer=True, competencies=[(competency, 1.0)])
    quiz = make_quiz(course, questions=[q])
    attempt = _submit(quiz, learner)
    assert list(Evidence.objects.filter(source_ref=attempt.source_ref).values_list("band", flat=True)) == ["advanced"]


def test_questions_naming_their_band_split_the_evidence_by_band(course, learner, competency):
    basic = make_question("true_false", "easy", true_false_answer=True, competencies=[(competency, 1.0)])
    hard = make_question(
        "true_false", "hard", true_false_answer=True, competencies=[(competency, 1.0)], band="specialised"
    )
    quiz = make_quiz(course, questions=[basic, hard], band="intermediate")
    attempt = _submit(quiz, learner)
    rows = Evidence.objects.filter(source_ref=attempt.source_ref).order_by("band")
    assert [(r.competency_id, r.band, r.score) for r in rows] == [
        (competency.pk, "intermediate", 1.0),
        (competency.pk, "specialised", 1.0),
    ]


@contextlib.contextmanager
def _evidence_guard_off():
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # ordinary triggers off
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_the_migration_gives_existing_quizzes_questions_and_evidence_their_band(course, learner, competency):
    import importlib

    migration = importlib.import_module("assessments.migrations.0005_band_defaults")
    course.level = "intermediate"
    course.save()
    q = make_question("true_false", "tf", true_false_answer=True, competencies=[(competency, 1.0)])
    quiz = make_quiz(course, questions=[q])
    attempt = _submit(quiz, learner)
    # As the rows stood before the migration: no band on the quiz or question, evidence at the column default.
    # On PostgreSQL the append-only guard covers the band since 0006 (after this migration): set it aside, as
    # it was when 0005 ran (inside the test's transaction, so it is back afterwards).
    with _evidence_guard_off():
        QuizPage.objects.filter(pk=quiz.pk).update(band="")
        Question.objects.filter(pk=q.pk).update(band="")
        Evidence.objects.filter(source_ref=attempt.source_ref).update(band="basic")
        migration.forwards(apps, None)
    assert QuizPage.objects.get(pk=quiz.pk).band == "intermediate"
    assert Question.objects.get(pk=q.pk).band == "intermediate"
    assert set(Evidence.objects.filter(source_ref=attempt.source_ref).values_list("band", flat=True)) == {
        "intermediate"
    }
