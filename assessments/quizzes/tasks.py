"""Background quiz work: close attempts whose time ran out, regrade a quiz after a key fix."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from .models import QuizPage
from .services.attempts import attempts_close_overdue, quiz_regrade


@shared_task(acks_late=True)
def attempts_close_overdue_task() -> int:
    """Every minute: grade attempts past their deadline with the answers saved by then. Safe to repeat."""
    return attempts_close_overdue()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def quiz_regrade_task(quiz_id: int, user_id: int | None = None) -> int:
    """Regrade a quiz. Idempotent: regrading twice with the same keys changes nothing more."""
    quiz = QuizPage.objects.filter(pk=quiz_id).first()
    if quiz is None:
        return 0
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return quiz_regrade(quiz=quiz, by=by)
