"""Learner and HR pages: "My competencies", a person's competencies, plotly.js served locally."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lms import formatting, policy
from lms.models import StaffProfile

from . import charts
from .models import Framework
from .selectors import current_framework, person_overview, person_trend, recommended_courses


@require_GET
@login_required
def my_competencies(request):
    person = policy.profile_of(request.user)
    if person is None or not policy.can(request.user, "competency.view_person", person):
        raise Http404
    return _person_page(request, person, mine=True)


@require_GET
@login_required
def person_competencies(request, person_id: int):
    person = get_object_or_404(StaffProfile.objects.select_related("unit"), pk=person_id)
    if not policy.can(request.user, "competency.view_person", person):
        raise Http404  # not 403: do not reveal who exists outside the caller's scope
    return _person_page(request, person, mine=person.user_id == request.user.pk)


def _person_page(request, person: StaffProfile, *, mine: bool):
    framework = current_framework(request.GET.get("framework"))
    if framework is None:
        raise Http404
    overview = person_overview(person, framework)
    recommended_courses(overview.rows)
    levels = charts.levels_chart(
        labels=[row.competency.code for row in overview.rows],
        current=[row.level_rank for row in overview.rows],
        target=[row.required.rank if row.required else None for row in overview.rows],
        max_rank=len(overview.levels) or 1,
        current_name=_("Current level"),
        target_name=_("Target level"),
        level_names=[lv.code for lv in overview.levels],
    )
    trend_rows = person_trend(person, framework)
    area_of = {row.competency.pk: f"{row.competency.area.code}. {row.competency.area.name}" for row in overview.rows}
    trend = (
        charts.trend(
            trend_rows,
            area_of=area_of,
            title=_("Average score per area, by month"),
            month_label=formatting.format_month,
        )
        if trend_rows
        else None
    )
    return render(
        request,
        "assessments/competencies.html",
        {
            "overview": overview,
            "mine": mine,
            "frameworks": Framework.objects.current().order_by("code"),
            "levels_chart": levels,
            "trend": trend,
            "scale_low": overview.levels[0].code if overview.levels else "",
            "scale_high": overview.levels[-1].code if overview.levels else "",
            "can_assess": policy.can(request.user, "competency.assess_manually", person),
        },
    )
