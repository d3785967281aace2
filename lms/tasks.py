from celery import shared_task

from .models import Unit


@shared_task
def ping() -> dict:
    """Round trip through the broker and the database: what /healthz and CI use to prove a worker is alive."""
    return {"pong": True, "units": Unit.objects.count()}
