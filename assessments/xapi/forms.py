from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.models import Unit

from .models import CredentialScope


class CredentialIssueForm(forms.Form):
    name = forms.CharField(label=_("Integration"), max_length=120)
    scope = forms.ChoiceField(label=_("Scope"), choices=CredentialScope.choices)
    unit = forms.ModelChoiceField(
        label=_("HR scope"),
        queryset=Unit.objects.order_by("path"),
        required=False,
        help_text=_("Statements are linked only to people of this unit and its subunits; reading is limited to them."),
    )

    def clean(self):
        data = super().clean()
        if data.get("scope") == CredentialScope.READ_UNIT and not data.get("unit"):
            self.add_error("unit", _("Reading within an HR scope needs a unit."))
        return data
