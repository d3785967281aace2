from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from .errors import SCORMPackageError
from .forms import SCORMActivityForm
from .models import SCORMActivity
from .services import scorm_package_import


class _PackageUploadMixin:
    """Create/edit: an uploaded package goes through the import service in the same transaction."""

    def save_instance(self):
        upload = self.form.cleaned_data.get("package_file")
        if upload:
            package, _created = scorm_package_import(uploaded_file=upload, uploaded_by=self.request.user)
            self.form.instance.package = package
        return super().save_instance()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except SCORMPackageError as exc:
            form.add_error("package_file", exc.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class SCORMActivityCreateView(_PackageUploadMixin, CreateView):
    pass


class SCORMActivityEditView(_PackageUploadMixin, EditView):
    pass


class SCORMActivityViewSet(SnippetViewSet):
    model = SCORMActivity
    icon = "media"
    menu_label = _("SCORM packages")
    menu_order = 251
    add_to_admin_menu = True
    list_display = ["title", "package", "pass_mark", "updated_at"]
    search_fields = ["title"]
    add_view_class = SCORMActivityCreateView
    edit_view_class = SCORMActivityEditView
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("package_file"),
            FieldPanel("pass_mark"),
            FieldPanel("band"),
            InlinePanel("competency_links", heading=_("Competencies"), label=_("Competency")),
        ],
        base_form_class=SCORMActivityForm,
    )


register_snippet(SCORMActivityViewSet)


@hooks.register("register_snippet_listing_buttons")
def results_button(snippet, user, next_url=None):
    from wagtail.admin.widgets import ListingButton

    from lms.policy import can

    if isinstance(snippet, SCORMActivity) and can(user, "scorm.view_results", snippet):
        yield ListingButton(_("Results"), reverse("scorm:results", args=[snippet.pk]), priority=30)
