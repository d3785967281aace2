"""Background work for SCORM. Tasks take ids, re-fetch, and call a service; repeats are harmless."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def attempt_outcome_task(attempt_id: int) -> str:
    """Record a completed attempt's evidence and complete the lessons placing its activity."""
    from .services.outcome import scorm_attempt_outcome_record

    return scorm_attempt_outcome_record(attempt_id=attempt_id)


@shared_task(acks_late=True)
def attempt_outcome_sweep() -> int:
    """Re-queue completed attempts whose outcome task never ran (lost message, broker outage)."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import SCORMAttempt

    cutoff = timezone.now() - timedelta(minutes=2)
    ids = list(
        SCORMAttempt.objects.filter(
            completed_at__isnull=False, evidence_recorded_at__isnull=True, updated_at__lt=cutoff
        ).values_list("pk", flat=True)[:5000]
    )
    for pk in ids:
        attempt_outcome_task.delay(pk)
    return len(ids)
