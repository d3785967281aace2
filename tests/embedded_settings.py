"""The embedded profile of `make run` (dev settings, filesystem broker), with one real periodic job
(closing overdue quiz attempts) due every second, for tests/lms/test_embedded_broker.py."""

from lms.settings.dev import *  # noqa: F403
from lms.settings.dev import CELERY_BEAT_SCHEDULE

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "quizzes-close-overdue-attempts": {
        "task": "assessments.quizzes.tasks.attempts_close_overdue_task",
        "schedule": 1.0,
    },
}
