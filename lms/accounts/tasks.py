from celery import shared_task

from .services.invitations import invitations_send


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, retry_kwargs={"max_retries": 5})
def invitations_send_task(invitation_ids: list[int]) -> int:
    """Send one batch of invitations; ones already sent are skipped, so a repeated run does no harm."""
    return invitations_send(invitation_ids=invitation_ids)
