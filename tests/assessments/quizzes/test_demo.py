from assessments.quizzes import demo
from assessments.quizzes.models import Attempt, Question, QuizPage
from assessments.quizzes.services.attempts import draw_question_ids


def test_demo_quizzes_cover_every_type_in_both_languages_and_are_idempotent(db):
    import random

    from courses import demo as courses_demo
    from lms import demo as lms_demo

    lms_demo.seed()
    courses_demo.seed()
    demo.seed()
    counts = (QuizPage.objects.count(), Question.objects.count(), Attempt.objects.count())
    demo.seed()
    assert (QuizPage.objects.count(), Question.objects.count(), Attempt.objects.count()) == counts
    assert counts[0] == 4 and counts[2] > 40
    for quiz in QuizPage.objects.all():
        ids = draw_question_ids(quiz=quiz, rng=random.Random(1))
        assert len(ids) >= 10
        kinds = set(Question.objects.filter(pk__in=ids).values_list("kind", flat=True))
        languages = set(Question.objects.filter(pk__in=ids).values_list("locale__language_code", flat=True))
        assert len(kinds) == 7 and languages == {"vi", "en"}
        assert Attempt.objects.filter(quiz=quiz, status="submitted").exists()
    staff = set(Attempt.objects.filter(person__user__username="staff").values_list("quiz__slug", "quiz__title"))
    assert {title for _slug, title in staff} <= {"Kiểm tra: Cổng thông tin điện tử của Bộ"}
