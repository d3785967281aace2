"""Background jobs against a real worker on Redis and PostgreSQL (skipped on the embedded profile)."""

import datetime
import time

import pytest
from django.utils import timezone

from reports.filters import Filters
from reports.models import JobStatus, ReportJob
from reports.services import jobs
from tests.factories import make_hr, make_person, make_unit


def _wait_for(job_id: int, status: str, seconds: int = 60) -> ReportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = ReportJob.objects.get(pk=job_id)
        if job.status == status:
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} still {ReportJob.objects.get(pk=job_id).status}")


@pytest.fixture
def small_org(db):
    root = make_unit("BNG", kind="ministry")
    fr = make_unit("FR", root, kind="embassy")
    for i in range(5):
        make_person(f"w{i}", fr, full_name=f"Nguyễn Thị Ánh {i}")
    return make_hr("hr_w", root, fr)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_queued_job_survives_a_worker_restart(celery_worker_process, small_org):
    # given: the worker is killed, then a job is requested (row + message committed together)
    celery_worker_process.stop(hard=True)
    job, _ = jobs.report_job_request(user=small_org.user, kind="staff", fmt="csv", filters=Filters())
    assert ReportJob.objects.get(pk=job.pk).status == JobStatus.QUEUED
    # when: a worker comes back
    celery_worker_process.start()
    # then: it picks the job up and finishes it
    done = _wait_for(job.pk, JobStatus.DONE)
    assert done.rows_done == 5 and done.result


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_job_whose_worker_died_mid_run_is_resent_by_the_sweeper(celery_worker_process, small_org):
    from lms.celery import app

    # given: a job whose worker died while running it (row says running, the message is gone)
    celery_worker_process.stop(hard=True)
    job, _ = jobs.report_job_request(user=small_org.user, kind="staff", fmt="xlsx", filters=Filters())
    app.control.purge()
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now())
    celery_worker_process.restart()
    time.sleep(2)
    assert ReportJob.objects.get(pk=job.pk).status == JobStatus.RUNNING
    # when: the sweeper runs after the heartbeat went stale
    result = jobs.report_jobs_sweep(now=timezone.now() + datetime.timedelta(hours=1))
    # then: the job is sent again and completes
    assert result["resent"] == 1
    done = _wait_for(job.pk, JobStatus.DONE)
    assert done.attempts == 2 and done.rows_done == 5
