from django import forms
from django.utils.translation import gettext_lazy as _

from lms.models import Unit

from .models import CoursePage
from .selectors import all_live_courses


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


class AssignmentForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.none())
    units = UnitChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Everyone in these units is enrolled. Hold Ctrl (or ⌘) to choose several."),
    )
    include_subunits = forms.BooleanField(label=_("Include the units below them"), required=False, initial=True)
    positions = forms.CharField(
        label=_("Positions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: one position per line (e.g. Bí thư thứ hai). With units, only these positions in them."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        courses = all_live_courses()
        self.fields["course"].queryset = CoursePage.objects.filter(pk__in=[c.pk for c in courses]).order_by("title")
        self.fields["units"].queryset = units if units is not None else Unit.objects.all()

    def clean_positions(self):
        raw = self.cleaned_data.get("positions") or ""
        return [line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip()]
