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
        fields = ["code", "parent", "kind", "name_vi", "name_en", "time_zone"]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if (
            parent is not None
            and self.instance.pk
            and (parent.pk == self.instance.pk or self.instance.pk in parent.ancestor_ids())
        ):
            raise forms.ValidationError(_("A unit cannot be placed under itself or one of its own sub-units."))
        return parent


class PreferencesForm(forms.Form):
    """A person's language and time zone; the zone's first choice follows the unit."""

    language = forms.ChoiceField(label=_("Language"))
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Dates and times on every page, PDF and export are shown in this zone."),
    )

    def __init__(self, *args, unit_zone: str, **kwargs):
        from .models import Language
        from .timezones import zone_choices

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = Language.choices
        automatic = _("Automatic: my unit's time zone (%(zone)s)") % {"zone": unit_zone.replace("_", " ")}
        self.fields["time_zone"].choices = [("", automatic), *zone_choices()]
        self.fields["time_zone"].widget.attrs["aria-describedby"] = "id_time_zone-help"
