"""Background work of the LRS. Tasks take ids (or nothing), re-read, and call a service."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError


@shared_task(bind=True, acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=None)
def statements_forward_task(self) -> str:
    """Forward what is waiting to the external LRS; queued after statements are stored and by beat
    every minute. A failure that may pass (the platform away) retries with exponential backoff."""
    from django.core.cache import cache

    from .services.forwarding import QUEUED_FLAG, TRANSIENT, backoff_seconds, forwarding_attempts, statements_forward

    cache.delete(QUEUED_FLAG)
    outcome = statements_forward()
    if outcome == TRANSIENT and not self.request.called_directly and not self.request.is_eager:
        raise self.retry(countdown=backoff_seconds(forwarding_attempts()), max_retries=None)
    return outcome
