"""HR's placement campaigns: list, create, change. Thin: authorise through lms.policy, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lms import policy

from .errors import CampaignInvalid
from .forms import CampaignForm
from .models import DiagnosticCampaign
from .services import campaigns as campaign_services


def _may_run_campaigns(user) -> bool:
    return policy.is_admin(user) or policy.is_hr(user)


def _units_for(user):
    return policy.reportable_units(user)


@login_required
def campaign_list(request):
    if not _may_run_campaigns(request.user):
        raise Http404
    rows = []
    people = policy.visible_people(request.user)
    for campaign in DiagnosticCampaign.objects.select_related("form", "created_by").prefetch_related("units")[:100]:
        if policy.can(request.user, "placement.view_campaign", campaign):
            rows.append((campaign, campaign_services.campaign_counts(campaign, people=people)))
    return render(request, "placement/campaign_list.html", {"rows": rows})


def _apply_errors(form, exc: CampaignInvalid) -> None:
    for field, problems in exc.errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@login_required
def campaign_new(request):
    if not _may_run_campaigns(request.user):
        raise Http404
    form = CampaignForm(request.POST or None, units=_units_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_services.campaign_create(
                actor=request.user,
                title=data["title"],
                form=data["form"],
                units=list(data["units"]),
                positions=data["positions"],
                due_date=data["due_date"],
                include_subunits=data["include_subunits"],
            )
        except CampaignInvalid as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The placement test is assigned; reminders go out before the due date."))
            return redirect("placement:campaign", pk=campaign.pk)
    return render(request, "placement/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(DiagnosticCampaign.objects.select_related("form", "created_by"), pk=pk)
    if not _may_run_campaigns(request.user) or not policy.can(request.user, "placement.view_campaign", campaign):
        raise Http404
    units = list(campaign.units.all())
    initial = {
        "title": campaign.title,
        "form": campaign.form_id,
        "units": [u.pk for u in units],
        "include_subunits": campaign.include_subunits,
        "positions": "\n".join(campaign.positions),
        "due_date": campaign.due_date,
        "is_active": campaign.is_active,
    }
    form = CampaignForm(request.POST or None, units=_units_for(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign_services.campaign_update(
                actor=request.user,
                campaign=campaign,
                title=data["title"],
                form=data["form"],
                units=list(data["units"]),
                positions=data["positions"],
                due_date=data["due_date"],
                include_subunits=data["include_subunits"],
                is_active=data["is_active"],
            )
        except CampaignInvalid as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("placement:campaign", pk=campaign.pk)
    counts = campaign_services.campaign_counts(campaign, people=policy.visible_people(request.user))
    return render(
        request,
        "placement/campaign_form.html",
        {"form": form, "campaign": campaign, "units": units, "counts": counts},
    )
