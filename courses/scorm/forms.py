from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class SCORMActivityForm(WagtailAdminModelForm):
    """The snippet form: the package comes as an upload that goes through ``scorm_package_import``."""

    package_file = forms.FileField(
        label=_("SCORM package (.zip)"),
        required=False,
        help_text=_(
            "Upload a SCORM 1.2 or 2004 package (a .zip with imsmanifest.xml). Leave empty to keep the current one."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )

    class Meta:
        fields = ["title", "pass_mark"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("package_file"):
            self.add_error("package_file", _("Choose the SCORM package (.zip) for this activity."))
        return cleaned
