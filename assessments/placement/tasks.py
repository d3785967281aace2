"""Background work for placement: campaign reminders, beside the assigned-training ones (same hourly beat)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def campaign_reminders_task() -> dict:
    from .services.campaigns import campaign_reminders_send

    return {"sent": campaign_reminders_send()}
