from __future__ import annotations

from dataclasses import replace

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lms import policy
from lms.models import Unit

from .. import conf
from ..selectors import staff as staff_selectors
from .common import filters_or_400, hr_required


@require_GET
@hr_required
def dashboard(request):
    filters, form, error = filters_or_400(request)
    if error:
        return error
    from ..selectors import dashboard as dash

    context = {"form": form, "filters": filters, "query": filters.querystring()}
    context.update(dash.dashboard_context(request.user, filters))
    return render(request, "reports/dashboard.html", context)


def _reportable_unit_or_404(user, pk: int) -> Unit:
    unit = policy.reportable_units(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


@require_GET
@hr_required
def staff_list(request, unit_pk: int):
    unit = _reportable_unit_or_404(request.user, unit_pk)
    filters, form, error = filters_or_400(request)
    if error:
        return error
    filters = replace(filters, unit_id=unit.pk)
    sort = request.GET.get("sort", "name")
    if sort not in staff_selectors.SORTS:
        sort = "name"
    rows = staff_selectors.staff_list(request.user, unit, filters, sort=sort)
    page = Paginator(rows, conf.staff_page_size()).get_page(request.GET.get("page"))
    base_query = filters.querystring()
    pager_query = "&".join(part for part in (base_query, f"sort={sort}") if part)
    return render(
        request,
        "reports/staff_list.html",
        {
            "unit": unit,
            "form": form,
            "filters": filters,
            "page": page,
            # the same cells as the CSV/XLSX of this table (reports.tables "staff")
            "rows": [(row["pk"], staff_selectors.table_row(row), row["invitation_state"]) for row in page],
            "sort": sort,
            "query": base_query,
            "pager_query": pager_query,
            "columns": staff_selectors.columns(),
        },
    )


@require_GET
@hr_required
def person(request, pk: int):
    from lms.models import StaffProfile

    from ..selectors import person as person_selectors

    profile = StaffProfile.objects.select_related("unit").filter(pk=pk).first()
    if profile is None or not policy.reportable_units(request.user).filter(pk=profile.unit_id).exists():
        raise Http404
    context = {"person": profile}
    context.update(person_selectors.person_context(profile))
    return render(request, "reports/person.html", context)


@require_GET
@hr_required
def reassessments(request, unit_pk: int):
    """People of a unit (and below) whose level is due for reassessment, with counts per unit."""
    from django.utils import timezone

    from ..selectors import competency as comp_selectors
    from ..selectors import recency

    unit = _reportable_unit_or_404(request.user, unit_pk)
    filters, form, error = filters_or_400(request)
    if error:
        return error
    filters = replace(filters, unit_id=unit.pk)
    framework = comp_selectors.framework_for(filters)
    context = recency.reassessments_due(request.user, filters, framework, now=timezone.now())
    return render(request, "reports/reassessments.html", {"unit": unit, "framework": framework, **context})
