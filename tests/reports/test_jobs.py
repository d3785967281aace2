import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone

from reports.filters import Filters
from reports.models import AuditEntry, JobStatus, ReportJob
from reports.services import jobs


@pytest.fixture
def small_threshold(settings):
    settings.REPORTS_BACKGROUND_THRESHOLD = 2


def test_large_export_offers_a_background_job_that_produces_the_file(
    client, hr_eu, people, small_threshold, django_capture_on_commit_callbacks
):
    client.force_login(hr_eu.user)
    offer = client.get("/reports/export/staff.csv")
    assert offer.status_code == 200 and b"jobs/new/staff.csv" in offer.content
    assert not ReportJob.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/jobs/new/staff.csv")
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100 and job.rows_done == 3 and job.rows_total == 3

    status = client.get(f"/reports/jobs/{job.pk}/status").json()
    assert status["status"] == "done" and status["download"] is True
    page = client.get(f"/reports/jobs/{job.pk}/")
    assert b'role="status"' in page.content and b"<progress" in page.content
    download = client.get(f"/reports/jobs/{job.pk}/download")
    body = b"".join(download.streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert {r[1] for r in rows[1:]} == {"Nguyễn Thị Ánh Tuyết", "Trần Đức Thắng", "Lê Thị Hồng Nhung"}
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {"reports.export", "reports.download"}


def test_job_is_get_only_for_its_requester(client, hr_eu, hr_ap, people, small_threshold):
    job, _ = jobs.report_job_request(user=hr_eu.user, kind="staff", fmt="csv", filters=Filters())
    client.force_login(hr_ap.user)
    for url in (f"/reports/jobs/{job.pk}/", f"/reports/jobs/{job.pk}/status", f"/reports/jobs/{job.pk}/download"):
        assert client.get(url).status_code == 404
    assert client.get("/reports/jobs/new/staff.csv").status_code == 405


def test_repeated_request_reuses_the_running_or_recent_job(hr_eu, people):
    first, created = jobs.report_job_request(
        user=hr_eu.user, kind="staff", fmt="xlsx", filters=Filters(position="Chuyên viên")
    )
    again, created_again = jobs.report_job_request(
        user=hr_eu.user, kind="staff", fmt="xlsx", filters=Filters(position="Chuyên viên")
    )
    assert created and not created_again and again.pk == first.pk
    other, created_other = jobs.report_job_request(user=hr_eu.user, kind="staff", fmt="csv", filters=Filters())
    assert created_other and other.pk != first.pk
    # finished recently: reused; finished long ago: a new job
    assert jobs.report_job_execute(job_id=first.pk) == "done"
    assert (
        jobs.report_job_request(user=hr_eu.user, kind="staff", fmt="xlsx", filters=Filters(position="Chuyên viên"))[
            0
        ].pk
        == first.pk
    )
    later = timezone.now() + datetime.timedelta(hours=2)
    fresh, created_fresh = jobs.report_job_request(
        user=hr_eu.user, kind="staff", fmt="xlsx", filters=Filters(position="Chuyên viên"), now=later
    )
    assert created_fresh and fresh.pk != first.pk


def test_execute_is_safe_to_run_again(hr_eu, people):
    job, _ = jobs.report_job_request(user=hr_eu.user, kind="staff", fmt="csv", filters=Filters())
    # a worker died mid-run: the row says running
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    assert jobs.report_job_execute(job_id=job.pk) == "done"
    assert jobs.report_job_execute(job_id=job.pk) == "skipped"
    assert jobs.report_job_execute(job_id=999999) == "skipped"
    job.refresh_from_db()
    assert job.attempts == 2 and job.status == JobStatus.DONE


def test_sweeper_resends_lost_jobs_and_deletes_expired_files(hr_eu, people, django_capture_on_commit_callbacks):
    lost, _ = jobs.report_job_request(user=hr_eu.user, kind="staff", fmt="csv", filters=Filters())
    fresh, _ = jobs.report_job_request(user=hr_eu.user, kind="staff", fmt="xlsx", filters=Filters())
    ReportJob.objects.filter(pk=lost.pk).update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.report_jobs_sweep()
    assert result == {"resent": 1, "failed": 0, "expired": 0}
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == JobStatus.DONE and fresh.status == JobStatus.QUEUED

    path = lost.result.path
    result = jobs.report_jobs_sweep(now=timezone.now() + datetime.timedelta(days=3))
    lost.refresh_from_db()
    assert lost.status == JobStatus.EXPIRED and not lost.result
    import os

    assert not os.path.exists(path)
    assert result["expired"] == 2


def test_sweeper_gives_up_after_repeated_failures(hr_eu, people, settings):
    settings.REPORTS_JOB_MAX_ATTEMPTS = 2
    job, _ = jobs.report_job_request(user=hr_eu.user, kind="staff", fmt="csv", filters=Filters())
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=2, heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert jobs.report_jobs_sweep()["failed"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_unknown_kind_or_format_is_refused(hr_eu):
    with pytest.raises(jobs.JobError):
        jobs.report_job_request(user=hr_eu.user, kind="nope", fmt="csv", filters=Filters())
    with pytest.raises(jobs.JobError):
        jobs.report_job_request(user=hr_eu.user, kind="staff", fmt="exe", filters=Filters())


def test_job_file_is_private_and_unguessable_and_downloads_only_for_its_requester(
    client, hr_eu, hr_ap, people, settings
):
    # given a finished job
    job, _ = jobs.report_job_request(user=hr_eu.user, kind="staff", fmt="csv", filters=Filters())
    jobs.report_job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE

    # then the file is outside MEDIA_ROOT, has no public URL and a random name
    stored = Path(job.result.path).resolve()
    assert stored.is_file()
    assert Path(settings.REPORTS_PRIVATE_ROOT).resolve() in stored.parents
    assert Path(settings.MEDIA_ROOT).resolve() not in stored.parents
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}\.csv", stored.name), stored.name  # 24 random bytes, nothing else
    with pytest.raises(ValueError):
        _ = job.result.url

    # and a second job gets a different name
    other, _ = jobs.report_job_request(user=hr_eu.user, kind="staff", fmt="xlsx", filters=Filters())
    jobs.report_job_execute(job_id=other.pk)
    other.refresh_from_db()
    assert Path(other.result.name).stem != stored.stem

    # when the requester downloads it, it is streamed
    client.force_login(hr_eu.user)
    response = client.get(f"/reports/jobs/{job.pk}/download")
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == stored.read_bytes()

    # and anyone else gets a 404
    client.force_login(hr_ap.user)
    assert client.get(f"/reports/jobs/{job.pk}/download").status_code == 404
