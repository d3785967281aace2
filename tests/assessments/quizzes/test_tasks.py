from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from freezegun import freeze_time

from assessments.quizzes.models import Attempt
from assessments.quizzes.services import attempts as services
from assessments.quizzes.tasks import attempts_close_overdue_task, quiz_regrade_task
from tests.assessments.quizzes.conftest import make_quiz


def test_overdue_attempts_are_closed_every_minute(course, bank, learner):
    entry = settings.CELERY_BEAT_SCHEDULE["quizzes-close-overdue-attempts"]
    assert entry["task"] == attempts_close_overdue_task.name and entry["schedule"] == 60
    quiz = make_quiz(course, questions=[bank["single"]], time_limit_minutes=1)
    with freeze_time(timezone.now()) as clock:
        attempt, _ = services.attempt_start(person=learner, quiz=quiz)
        assert attempts_close_overdue_task.delay().get() == 0
        clock.tick(timedelta(minutes=2))
        assert attempts_close_overdue_task.delay().get() == 1
        assert attempts_close_overdue_task.delay().get() == 0  # repeating does no harm
    assert Attempt.objects.get(pk=attempt.pk).auto_submitted


def test_regrade_task_returns_quietly_for_a_deleted_quiz(db):
    assert quiz_regrade_task.delay(987654).get() == 0
