from celery import shared_task

from .services import jobs


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def report_job_run(job_id: int) -> str:
    """Generate one report job; takes its id, re-fetches, does nothing if it is gone or finished."""
    return jobs.report_job_execute(job_id=job_id)


@shared_task(ignore_result=True)
def report_jobs_sweep() -> dict:
    """Periodic (beat): re-send lost jobs and stuck period closings, delete expired results."""
    from .services.evaluation import evaluation_closings_resend

    result = jobs.report_jobs_sweep()
    result["closings_resent"] = evaluation_closings_resend()
    return result


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def evaluation_snapshot_task(period_id: int) -> None:
    """Freeze a closing evaluation period (large periods); re-running it does no harm."""
    from .services.evaluation import evaluation_snapshot_build

    evaluation_snapshot_build(period_id=period_id)


@shared_task(acks_late=True, ignore_result=True)
def unit_months_refresh_task(all_months: bool = False) -> int:
    """Nightly (after the competency recompute): roll up this and last month's snapshots per unit."""
    from .services.rollups import recent_months, unit_months_refresh

    return unit_months_refresh(months=None if all_months else recent_months())


@shared_task(ignore_result=True)
def score_cells_refresh_task() -> int:
    """Every few minutes (beat): rebuild the dashboard's roll-up of current scores (``UnitScoreCell``)."""
    from .services.rollups import score_cells_refresh

    return score_cells_refresh()
