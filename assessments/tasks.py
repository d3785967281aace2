"""Scheduled competency work: nightly full recompute and monthly snapshots."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from .services.scores import add_months, month_start, scores_recompute, snapshots_take

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def competencies_recompute_task() -> dict:
    """Rebuild every current score from the evidence, then refresh this month's snapshot.

    Safe to repeat: the result depends only on the evidence and the time.
    """
    report = scores_recompute()
    if report.drift:
        logger.warning("Competency recompute corrected %s rows: %s", report.drift, "; ".join(report.examples))
    snapshots = snapshots_take()
    return {
        "people": report.people,
        "drift": report.drift,
        "scores": report.scores_checked,
        "written": report.scores_written,
        "snapshots": snapshots,
    }


@shared_task(acks_late=True)
def competency_snapshots_task(previous_month: bool = False) -> int:
    """Snapshot current scores for this month, or (on the 1st) for the month that just ended."""
    month = month_start(timezone.localdate())
    if previous_month:
        month = add_months(month, -1)
    return snapshots_take(month=month)
