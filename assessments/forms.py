from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.models import StaffProfile

from .models import Competency, ProficiencyLevel


class CompetencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Competency) -> str:
        return f"{obj.framework.code} {obj.code} · {obj.name}"


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProficiencyLevel) -> str:
        return f"{obj.framework.code} {obj.code} · {obj.name}"


class ManualAssessmentForm(forms.Form):
    """A trainer's practical assessment: who, which competency, how well, what was observed."""

    employee_number = forms.CharField(
        label=_("Employee number"), max_length=32, help_text=_("The officer who was assessed.")
    )
    competency = CompetencyChoiceField(
        label=_("Competency"),
        queryset=Competency.objects.filter(framework__is_current=True)
        .select_related("framework")
        .order_by("framework__code", "sort_order"),
    )
    score_percent = forms.DecimalField(
        label=_("Result (%)"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=_("0 = could not do it, 100 = did it fully and independently."),
    )
    level = LevelChoiceField(
        label=_("Level observed"),
        required=False,
        queryset=ProficiencyLevel.objects.filter(framework__is_current=True)
        .select_related("framework")
        .order_by("framework__code", "rank"),
        help_text=_(
            "The level of the framework the officer showed. You may certify levels up to your assessor permission."
        ),
    )
    observed_on = forms.DateField(
        label=_("Observed on"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    note = forms.CharField(
        label=_("What was observed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("E.g. “Registered, routed and signed an incoming note verbale in the document system unaided.”"),
    )

    def clean_employee_number(self):
        number = self.cleaned_data["employee_number"].strip()
        person = StaffProfile.objects.select_related("unit").filter(employee_number=number).first()
        if person is None:
            raise forms.ValidationError(
                _("No staff member has employee number “%(number)s”."), params={"number": number}
            )
        self.person = person
        return number

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The observation date cannot be in the future."))
        return day
