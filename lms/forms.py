from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Unit


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file from the HR system"),
        help_text=_("Columns: employee_number, full_name, email, unit_code, position, grade, language. UTF-8."),
    )
    skip_invalid = forms.BooleanField(label=_("Import the valid rows and skip the invalid ones"), required=False)
    full = forms.BooleanField(
        label=_("This file is the complete export: deactivate the people missing from it"),
        help_text=_("They can no longer sign in and drop out of current reports; their records stay."),
        required=False,
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        name = upload.name.lower()
        if not name.endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a .csv file."))
        return upload


class UnitForm(WagtailAdminModelForm):
    class Meta:
        model = Unit
        fields = ["code", "parent", "kind", "name_vi", "name_en"]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if (
            parent is not None
            and self.instance.pk
            and (parent.pk == self.instance.pk or self.instance.pk in parent.ancestor_ids())
        ):
            raise forms.ValidationError(_("A unit cannot be placed under itself or one of its own sub-units."))
        return parent
