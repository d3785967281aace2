"""The diagnostic placement's launch baseline: the page (summary and drill-down) and its PDF. CSV and XLSX are
the shared exports of the ``baseline`` table (``reports.tables``)."""

from __future__ import annotations

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import exports
from ..selectors import baseline as sel
from ..services.audit import audit_record
from ..services.jobs import _unit_for
from .common import filters_or_400, hr_required

PDF_PEOPLE = 1000


def _status_or_400(request):
    status = request.GET.get("status", "")
    if status and status not in sel.STATUSES:
        choices = ", ".join(str(v) for v in sel.STATUSES.values())
        problems = [_("Status: choose one of %(choices)s.") % {"choices": choices}]
        return None, render(request, "reports/filter_error.html", {"problems": problems}, status=400)
    return status, None


@require_GET
@hr_required
def baseline(request):
    filters, form, error = filters_or_400(request)
    if error:
        return error
    status, error = _status_or_400(request)
    if error:
        return error
    summary = sel.baseline(request.user, filters)
    people = sel.people_rows(request.user, filters, status=status, limit=sel.PEOPLE_ON_PAGE + 1)
    return render(
        request,
        "reports/baseline.html",
        {
            "form": form,
            "filters": filters,
            "query": filters.querystring(),
            "summary": summary,
            "status": status,
            "statuses": sel.STATUSES,
            "people": people[: sel.PEOPLE_ON_PAGE],
            "truncated": len(people) > sel.PEOPLE_ON_PAGE,
        },
    )


@require_GET
@hr_required
def baseline_pdf(request):
    filters, _form, error = filters_or_400(request)
    if error:
        return error
    lang = request.GET.get("lang", "") or translation.get_language() or "vi"
    lang = "en" if lang.startswith("en") else "vi"
    with translation.override(lang):
        summary = sel.baseline(request.user, filters)
        people = sel.people_rows(request.user, filters, limit=PDF_PEOPLE + 1)
        html = render_to_string(
            "reports/pdf/baseline.html",
            {
                "summary": summary,
                "people": people[:PDF_PEOPLE],
                "truncated": len(people) > PDF_PEOPLE,
                "statuses": sel.STATUSES,
                "now": timezone.now(),
                "lang": lang,
            },
        )
    audit_record(
        actor=request.user,
        action="reports.export",
        target="baseline",
        params={"report": "baseline", "format": "pdf", "filters": filters.as_params(), "lang": lang},
        unit=_unit_for(request.user, filters),
    )
    return exports.pdf_response(f"baseline-{lang}.pdf", exports.render_pdf(html))
