from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class H5PActivityForm(WagtailAdminModelForm):
    """The snippet form: the package comes as an upload that goes through ``h5p_package_import``."""

    package_file = forms.FileField(
        label=_("H5P package (.h5p)"),
        required=False,
        help_text=_("Upload an .h5p file exported from Lumi, Moodle or H5P.org. Leave empty to keep the current one."),
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )

    class Meta:
        fields = ["title", "pass_mark"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("package_file"):
            self.add_error("package_file", _("Choose the .h5p package for this activity."))
        return cleaned
