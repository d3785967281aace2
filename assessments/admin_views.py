"""Manual (practical) assessment by a trainer: recorded as evidence like any other result."""

from __future__ import annotations

from datetime import datetime, time

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages

from lms import policy

from .errors import EvidenceError
from .forms import ManualAssessmentForm
from .sources.services import manual_assessment_record


def _form_field(field: str) -> str | None:
    """The form field a service error points at (None: a form-wide error)."""
    if field == "person":
        return "employee_number"
    if field == "recorded_at":
        return "observed_on"
    if field.endswith(".score"):
        return "score_percent"
    if field.endswith(".competency_id"):
        return "competency"
    if field == "level":
        return "level"
    return None


def manual_assessment_view(request):
    if not policy.can(request.user, "competency.assess_manually"):
        raise PermissionDenied
    if request.method == "POST":
        form = ManualAssessmentForm(request.POST)
        if form.is_valid() and _record(request, form):
            return redirect(reverse("assessments_manual_assessment"))
    else:
        form = ManualAssessmentForm(initial={"employee_number": request.GET.get("employee_number", "")})
    return TemplateResponse(request, "assessments/admin/manual_assessment.html", {"form": form})


def _record(request, form: ManualAssessmentForm) -> bool:
    person = form.person
    data = form.cleaned_data
    if person.is_active and not policy.can(request.user, "competency.assess_manually", person):
        form.add_error("employee_number", _("You cannot record an assessment of yourself."))
        return False
    observed = data["observed_on"]
    recorded_at = (
        timezone.now()
        if observed == timezone.localdate()
        else timezone.make_aware(datetime.combine(observed, time(12, 0)))
    )
    try:
        manual_assessment_record(
            actor=request.user,
            person=person,
            competency=data["competency"],
            score=float(data["score_percent"]) / 100,
            level=data.get("level"),
            recorded_at=recorded_at,
            note=data["note"],
        )
    except EvidenceError as exc:
        form.add_error(_form_field(exc.field), str(exc))
        return False
    messages.success(
        request,
        _("Assessment of %(person)s in %(competency)s recorded.")
        % {"person": person.full_name, "competency": f"{data['competency'].code} {data['competency'].name}"},
    )
    return True
