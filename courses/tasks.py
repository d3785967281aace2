"""Background work for courses. Tasks take ids, re-fetch, and call a service; repeats are harmless."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def assignment_fanout_task(self, run_id: int) -> dict:
    from .services.assignments import assignment_fanout

    run = assignment_fanout(run_id=run_id)
    if run is None:
        return {"run": run_id, "status": "gone"}
    return {"run": run.pk, "status": run.status, "total": run.total, "created": run.created}


@shared_task(acks_late=True)
def assignments_sync_task() -> dict:
    from .services.assignments import assignments_sync

    return {"created": assignments_sync()}


@shared_task(acks_late=True)
def reminders_send_task() -> dict:
    from .services.reminders import reminders_send

    return {"sent": reminders_send()}


@shared_task(acks_late=True)
def certificate_renewals_task() -> dict:
    from .services.certificates import certificate_renewals_open

    return {"renewed": certificate_renewals_open()}


@shared_task(acks_late=True)
def publish_scheduled_pages_task() -> None:
    """Wagtail's scheduled publishing (go-live / expiry dates) needs ``publish_scheduled`` run regularly."""
    from django.core.management import call_command

    call_command("publish_scheduled")
