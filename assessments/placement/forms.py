from django import forms
from django.utils.translation import gettext_lazy as _

from courses.forms import UnitChoiceField
from lms.models import Unit

from .models import DiagnosticForm, FormStatus


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    form = forms.ModelChoiceField(label=_("Placement test"), queryset=DiagnosticForm.objects.none())
    units = UnitChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Everyone in these units is asked to take the test. Hold Ctrl (or ⌘) to choose several."),
    )
    include_subunits = forms.BooleanField(label=_("Include the units below them"), required=False, initial=True)
    positions = forms.CharField(
        label=_("Positions"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: one position per line (e.g. Bí thư thứ hai). With units, only these positions in them."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_active = forms.BooleanField(
        label=_("Active (reminders are sent)"), required=False, initial=True, help_text=_("Untick to end the campaign.")
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = DiagnosticForm.objects.filter(status=FormStatus.PUBLISHED).order_by("title_vi")
        self.fields["form"].label_from_instance = lambda f: f.title
        self.fields["units"].queryset = (units if units is not None else Unit.objects.all()).order_by("path")

    def clean_positions(self):
        raw = self.cleaned_data.get("positions") or ""
        return [line.strip()[:120] for line in raw.replace(",", "\n").splitlines() if line.strip()]
