from __future__ import annotations

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from lms import policy

from .. import conf, exports, tables
from ..models import JobStatus, ReportJob
from ..services.audit import audit_record
from ..services.jobs import _unit_for, report_job_request
from .common import filters_or_400, hr_required


def _table_or_404(key: str):
    table = tables.get(key)
    if table is None:
        raise Http404
    return table


@require_GET
@hr_required
def export(request, table: str, fmt: str):
    """Download a table as CSV or XLSX. Small: inline (CSV streamed). Large: offer a background job."""
    spec = _table_or_404(table)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filters, _form, error = filters_or_400(request)
    if error:
        return error
    count = spec.count(request.user, filters)
    if spec.per_person and count > conf.background_threshold():
        return render(
            request,
            "reports/export_background.html",
            {"table": spec, "fmt": fmt, "count": count, "filters": filters, "threshold": conf.background_threshold()},
        )
    audit_record(
        actor=request.user,
        action="reports.export",
        target=spec.key,
        params={
            "report": spec.key,
            "format": fmt,
            "filters": filters.as_params(),
            **({"rows": count} if spec.per_person else {}),
        },
        unit=_unit_for(request.user, filters),
    )
    filename = f"{spec.key}.{fmt}"
    rows = spec.rows(request.user, filters)
    if fmt == "csv":
        return exports.csv_response(filename, spec.header_labels(), rows)
    return exports.xlsx_response(filename, str(spec.title), spec.header_labels(), rows)


@require_POST
@hr_required
def job_create(request, table: str, fmt: str):
    spec = _table_or_404(table)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filters, _form, error = filters_or_400(request)
    if error:
        return error
    job, _created = report_job_request(
        user=request.user,
        kind=spec.key,
        fmt=fmt,
        filters=filters,
        language=get_language() or "vi",
        time_zone=timezone.get_current_timezone_name(),
    )
    return redirect("reports:job", pk=job.pk)


def _own_job(request, pk: int) -> ReportJob:
    job = get_object_or_404(ReportJob, pk=pk)
    if job.requested_by_id != request.user.pk and not policy.is_admin(request.user):
        raise Http404
    return job


@require_GET
@hr_required
def job_detail(request, pk: int):
    job = _own_job(request, pk)
    return render(request, "reports/job.html", {"job": job, "table": tables.get(job.kind), "JobStatus": JobStatus})


@require_GET
@hr_required
def job_status(request, pk: int):
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "finished": job.is_finished,
            "download": job.status == JobStatus.DONE,
        }
    )


@require_GET
@hr_required
def job_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404
    audit_record(
        actor=request.user, action="reports.download", target=job, params={"report": job.kind, "format": job.fmt}
    )
    return FileResponse(
        job.result.open("rb"),
        as_attachment=True,
        filename=job.result_name or f"{job.kind}.{job.fmt}",
        content_type=exports.CONTENT_TYPES[job.fmt],
    )


@require_GET
@hr_required
def job_list(request):
    jobs = ReportJob.objects.filter(requested_by=request.user).order_by("-created_at")[:50]
    return render(request, "reports/jobs.html", {"jobs": jobs})
