from assessments.quizzes import presenters
from assessments.quizzes.services import attempts as services
from tests.assessments.quizzes.conftest import right_answer


def test_full_marks_round_trip(quiz, learner):
    attempt, created = services.attempt_start(person=learner, quiz=quiz)
    assert created
    payload = presenters.attempt_payload(attempt)
    answers = {str(q["id"]): right_answer(q) for q in payload["questions"]}
    services.attempt_answers_save(attempt_id=attempt.pk, person=learner, answers=answers)
    attempt, new = services.attempt_submit(attempt_id=attempt.pk, person=learner)
    assert new and attempt.percent == 100 and attempt.passed
