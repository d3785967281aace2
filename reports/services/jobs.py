"""Background report jobs: request (idempotent), execute (safe to re-run), sweep (lost messages, expiry)."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import tempfile
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from lms import formatting

from .. import conf, exports, tables
from ..filters import Filters
from ..models import JobStatus, ReportJob
from .audit import audit_record

logger = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")


class JobError(ValueError):
    pass


def _hash(*, user_id: int, kind: str, fmt: str, params: dict) -> str:
    blob = json.dumps({"user": user_id, "kind": kind, "fmt": fmt, "params": params}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _enqueue(job_id: int) -> None:
    from ..tasks import report_job_run

    transaction.on_commit(lambda: report_job_run.delay(job_id))


@transaction.atomic
def report_job_request(
    *, user, kind: str, fmt: str, filters: Filters, language: str = "vi", time_zone: str = "", now=None
) -> tuple[ReportJob, bool]:
    """Return (job, created). A queued or running job for the same requester and parameters is reused,
    and so is a finished one younger than ``REPORTS_JOB_REUSE_MINUTES``. The row is written in this
    transaction; the task is sent when it commits. The file is written in the requester's ``language`` and
    ``time_zone`` (default: the ministry's)."""
    if tables.get(kind) is None:
        raise JobError(f"Unknown report {kind!r}")
    if fmt not in FORMATS:
        raise JobError(f"Unknown format {fmt!r}")
    now = now or timezone.now()
    params = {"filters": filters.as_params(), "lang": language, "tz": time_zone or settings.TIME_ZONE}
    digest = _hash(user_id=user.pk, kind=kind, fmt=fmt, params=params)
    recent = now - datetime.timedelta(minutes=conf.job_reuse_minutes())
    existing = (
        ReportJob.objects.select_for_update()
        .filter(params_hash=digest, expires_at__gt=now)
        .filter(Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]) | Q(status=JobStatus.DONE, finished_at__gte=recent))
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing, False
    job = ReportJob.objects.create(
        kind=kind,
        fmt=fmt,
        params=params,
        params_hash=digest,
        requested_by=user,
        enqueued_at=now,
        expires_at=now + datetime.timedelta(hours=conf.job_ttl_hours()),
    )
    audit_record(
        actor=user,
        action="reports.export",
        target=job,
        params={"report": kind, "format": fmt, "filters": params["filters"], "background": True},
        unit=_unit_for(user, filters),
    )
    _enqueue(job.pk)
    return job, True


def _unit_for(user, filters: Filters):
    from lms import policy
    from lms.models import Unit

    if filters.unit_id:
        return Unit.objects.filter(pk=filters.unit_id).first()
    roots = policy.hr_roots(user)
    return roots[0] if roots and not policy.is_admin(user) else None


def _claim(job_id: int) -> ReportJob | None:
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        now = timezone.now()
        job.status = JobStatus.RUNNING
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "heartbeat_at", "attempts"])
        return job


def report_job_execute(*, job_id: int) -> str:
    """Generate the job's file. Safe to run twice: a finished job is left alone, a running one is rebuilt
    from scratch (the file is written to a temporary file and attached only at the end)."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    table = tables.get(job.kind)
    filters = Filters.from_params(job.params.get("filters", {}))
    user = job.requested_by
    try:
        zone = formatting.zone_from_name(job.params.get("tz")) or ZoneInfo(settings.TIME_ZONE)
        with translation.override(job.params.get("lang", "vi")), timezone.override(zone):
            total = table.count(user, filters)
            ReportJob.objects.filter(pk=job.pk).update(rows_total=total, rows_done=0, progress=0)

            def progress(done: int) -> None:
                percent = min(99, int(done * 100 / total)) if total else 99
                ReportJob.objects.filter(pk=job.pk).update(
                    rows_done=done, progress=percent, heartbeat_at=timezone.now()
                )

            rows = exports.counting(table.rows(user, filters), every=1000, callback=progress)
            with tempfile.TemporaryFile() as out:
                if job.fmt == "csv":
                    exports.write_csv(out, table.header_labels(), rows)
                else:
                    exports.write_xlsx(out, str(table.title), table.header_labels(), rows)
                out.seek(0)
                name = f"{job.kind}-{job.pk}.{job.fmt}"
                job.result.save(name, File(out, name=name), save=False)
    except Exception as exc:
        logger.exception("Report job %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return "failed"
    now = timezone.now()
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        result=job.result.name,
        result_name=f"{job.kind}.{job.fmt}",
        progress=100,
        rows_done=total,
        finished_at=now,
        heartbeat_at=now,
        expires_at=now + datetime.timedelta(hours=conf.job_ttl_hours()),
    )
    return "done"


def report_jobs_sweep(*, now=None) -> dict:
    """Re-send jobs whose message was lost (queued and never started, or running without a heartbeat,
    for ``REPORTS_JOB_STALE_SECONDS``); fail those that keep dying; delete expired results."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=conf.job_stale_seconds())
    resent = failed = expired = 0
    with transaction.atomic():
        candidates = ReportJob.objects.select_for_update(skip_locked=True).filter(
            Q(status=JobStatus.QUEUED, enqueued_at__lt=stale) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale)
        )
        for job in candidates:
            if job.attempts >= conf.job_max_attempts():
                job.status = JobStatus.FAILED
                job.error = "Gave up after repeated worker failures."
                job.finished_at = now
                job.save(update_fields=["status", "error", "finished_at"])
                failed += 1
                continue
            job.enqueued_at = now
            job.heartbeat_at = now
            job.save(update_fields=["enqueued_at", "heartbeat_at"])
            _enqueue(job.pk)
            resent += 1
    for job in ReportJob.objects.filter(expires_at__lt=now).exclude(status=JobStatus.EXPIRED).iterator():
        if job.result:
            job.result.delete(save=False)
        ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.EXPIRED, result="")
        expired += 1
    return {"resent": resent, "failed": failed, "expired": expired}
