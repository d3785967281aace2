from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView

from lms.search import FoldedSearchSnippetViewSet

from .errors import H5PPackageError
from .forms import H5PActivityForm
from .models import H5PActivity
from .services import h5p_package_import
from .services.evidence import activity_scoring, activity_scoring_changed


class _PackageUploadMixin:
    """Create/edit: an uploaded package goes through the import service in the same transaction."""

    def save_instance(self):
        upload = self.form.cleaned_data.get("package_file")
        if upload:
            package, _created = h5p_package_import(uploaded_file=upload, uploaded_by=self.request.user)
            self.form.instance.package = package
        return super().save_instance()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except H5PPackageError as exc:
            form.add_error("package_file", exc.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class H5PActivityCreateView(_PackageUploadMixin, CreateView):
    pass


class H5PActivityEditView(_PackageUploadMixin, EditView):
    def save_instance(self):
        before = activity_scoring(self.object.pk)
        instance = super().save_instance()
        activity_scoring_changed(
            actor=self.request.user, activity=instance, before=before, after=activity_scoring(instance.pk)
        )
        return instance


class H5PActivityViewSet(FoldedSearchSnippetViewSet):
    model = H5PActivity
    icon = "media"
    menu_label = _("H5P activities")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "package", "pass_mark", "updated_at"]
    search_fields = ["title", "package__title", "package__main_library"]
    add_view_class = H5PActivityCreateView
    edit_view_class = H5PActivityEditView
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("package_file"),
            FieldPanel("pass_mark"),
            FieldPanel("grading_method"),
            FieldPanel("band"),
            InlinePanel("competency_links", heading=_("Competencies"), label=_("Competency")),
        ],
        base_form_class=H5PActivityForm,
    )


register_snippet(H5PActivityViewSet)


@hooks.register("register_snippet_listing_buttons")
def results_button(snippet, user, next_url=None):
    from wagtail.admin.widgets import ListingButton

    from lms.policy import can

    if isinstance(snippet, H5PActivity) and can(user, "h5p.view_results", snippet):
        yield ListingButton(_("Results"), reverse("h5p:results", args=[snippet.pk]), priority=30)
