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
        fields = ["title", "pass_mark", "grading_method"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "grading_method" in self.fields:  # a form sent without it keeps the activity's method
            self.fields["grading_method"].required = False

    def clean_grading_method(self):
        return self.cleaned_data.get("grading_method") or self.instance.grading_method

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("package_file"):
            self.add_error("package_file", _("Choose the .h5p package for this activity."))
        return cleaned
