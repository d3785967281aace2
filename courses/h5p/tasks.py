"""Background work for H5P. Tasks take ids, re-fetch, and call a service; repeats are harmless."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def attempt_evidence_task(attempt_id: int) -> str:
    """Record one finished attempt's competency evidence (messages queued before evidence was
    batched per written batch of statements, or by hand)."""
    from .services.evidence import attempt_evidence_record

    return attempt_evidence_record(attempt_id=attempt_id)


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def attempts_evidence_task(attempt_ids: list[int]) -> dict:
    """Record the evidence of attempts finished together (one batch of statements), person by person."""
    from .services.evidence import attempts_evidence_record

    return attempts_evidence_record(attempt_ids=attempt_ids)


@shared_task(acks_late=True)
def attempt_evidence_sweep() -> int:
    """Re-queue finished attempts whose evidence task never ran (lost message, broker outage)."""
    from .services.evidence import attempts_pending

    ids = list(attempts_pending().values_list("pk", flat=True)[:5000])
    for start in range(0, len(ids), 100):
        attempts_evidence_task.delay(ids[start : start + 100])
    return len(ids)


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError, ConnectionError),
    retry_backoff=1,
    retry_backoff_max=30,
    max_retries=10,
)
def statements_drain_task() -> int:
    """Write the queued xAPI statements (``services.intake``); queued by the first statement after an
    idle spell, and by beat every minute in case that message was lost. A batch that failed on the
    database (a deadlock, a restart) stays in the stream and the task tries again shortly."""
    from .services.intake import statements_drain

    return statements_drain()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def activity_results_recompute_task(activity_id: int) -> int:
    """Recompute every person's result on an activity after its grading method or competencies changed."""
    from .services.evidence import activity_results_recompute

    return activity_results_recompute(activity_id=activity_id)
