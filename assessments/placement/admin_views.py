"""Trainer pages in the Wagtail admin: placement forms, their items with parameters and fit flags, publishing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import policy

from . import selectors
from .errors import PlacementError
from .models import DiagnosticForm
from .services.bank import form_publish


def _guard(request) -> None:
    if not policy.can(request.user, "placement.manage"):
        raise Http404


def placement_index(request):
    _guard(request)
    forms = DiagnosticForm.objects.select_related("framework", "pool").order_by("-created_at")
    return TemplateResponse(request, "placement/admin/index.html", {"forms": forms})


def placement_items(request, form_id: int):
    _guard(request)
    form = get_object_or_404(DiagnosticForm.objects.select_related("framework", "pool"), pk=form_id)
    rows = selectors.item_analysis(form)
    flagged = sum(1 for r in rows if r.params and r.params.flags)
    return TemplateResponse(request, "placement/admin/items.html", {"form": form, "rows": rows, "flagged": flagged})


@require_POST
def placement_publish(request, form_id: int):
    _guard(request)
    form = get_object_or_404(DiagnosticForm, pk=form_id)
    try:
        form_publish(form=form)
    except PlacementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The placement test is published."))
    return HttpResponseRedirect(reverse("placement_admin_index"))
