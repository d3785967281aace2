from django.db import transaction
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import admin_views, policy
from .accounts.models import InvitationState, with_invitation_state
from .forms import UnitForm
from .models import HRScope, PositionTitle, StaffProfile, Unit
from .services.units import unit_tree_rebuild


class _KeepsTreePaths:
    """Units edited in the admin keep the materialised paths that every subtree query relies on."""

    def save_instance(self):
        # One transaction: a unit is never left saved with a stale path. Paths derive from the
        # parent links only, so an edit that keeps the parent needs no rebuild.
        with transaction.atomic():
            instance = super().save_instance()
            if isinstance(self, generic.CreateView) or "parent" in self.form.changed_data:
                unit_tree_rebuild()
                instance.refresh_from_db()
        return instance


class UnitCreateView(_KeepsTreePaths, generic.CreateView):
    pass


class UnitEditView(_KeepsTreePaths, generic.EditView):
    pass


class UnitViewSet(ModelViewSet):
    model = Unit
    add_view_class = UnitCreateView
    edit_view_class = UnitEditView
    icon = "site"
    menu_label = _("Units")
    list_display = ["code", "name_vi", "name_en", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name_vi", "name_en"]

    def get_form_class(self, for_update=False):
        return UnitForm


class StaffIndexView(generic.IndexView):
    def get_base_queryset(self):
        # Invitation state (not invited / invited / joined / expired) as subqueries: still one query a page.
        return with_invitation_state(super().get_base_queryset())


def _invitation_state_label(profile) -> str:
    return InvitationState(profile.invitation_state).label


class StaffViewSet(ModelViewSet):
    model = StaffProfile
    index_view_class = StaffIndexView
    icon = "user"
    menu_label = _("Staff")
    list_display = [
        "employee_number",
        "full_name",
        "unit",
        "position",
        "is_active",
        Column("invitation_state", label=_("Sign-in"), accessor=_invitation_state_label),
    ]
    list_filter = ["is_active", "language"]
    search_fields = ["employee_number", "full_name", "position"]
    form_fields = ["full_name", "unit", "position", "grade", "language", "time_zone", "is_active"]


class _AuditsHRScope:
    """HR-scope changes made in the admin go to the audit log (who gave whom which subtree)."""

    def _audit(self, scope, action):
        from .accounts import audit

        audit.record(
            actor=self.request.user, action=action, target=scope.user, params={"unit": scope.unit.code}, unit=scope.unit
        )


class HRScopeCreateView(_AuditsHRScope, generic.CreateView):
    @transaction.atomic  # the change and its audit entry, or neither
    def save_instance(self):
        instance = super().save_instance()
        self._audit(instance, "accounts.hr_scope_add")
        return instance


class HRScopeEditView(_AuditsHRScope, generic.EditView):
    @transaction.atomic
    def save_instance(self):
        before = HRScope.objects.select_related("unit", "user").get(pk=self.object.pk)
        instance = super().save_instance()
        if (before.user_id, before.unit_id) != (instance.user_id, instance.unit_id):
            self._audit(before, "accounts.hr_scope_remove")
            self._audit(instance, "accounts.hr_scope_add")
        return instance


class HRScopeDeleteView(_AuditsHRScope, generic.DeleteView):
    @transaction.atomic
    def delete_action(self):
        self._audit(self.object, "accounts.hr_scope_remove")
        return super().delete_action()


class HRScopeViewSet(ModelViewSet):
    model = HRScope
    add_view_class = HRScopeCreateView
    edit_view_class = HRScopeEditView
    delete_view_class = HRScopeDeleteView
    icon = "group"
    menu_label = _("HR scopes")
    list_display = ["user", "unit"]
    form_fields = ["user", "unit"]


class PositionTitleViewSet(ModelViewSet):
    model = PositionTitle
    icon = "tag"
    menu_label = _("Position titles")
    list_display = ["name_vi", "name_en"]
    search_fields = ["name_vi", "name_en"]
    form_fields = ["name_vi", "name_en"]


class OrganisationGroup(ModelViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "site"
    items = (UnitViewSet, StaffViewSet, HRScopeViewSet, PositionTitleViewSet)


@hooks.register("register_admin_viewset")
def register_organisation():
    return OrganisationGroup()


@hooks.register("register_admin_urls")
def register_urls():
    return [path("organisation/import-staff/", admin_views.staff_import_view, name="lms_staff_import")]


class PolicyMenuItem(MenuItem):
    def __init__(self, *args, action: str, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return policy.can(request.user, self.action)


@hooks.register("register_settings_menu_item")
def staff_import_menu_item():
    return PolicyMenuItem(
        _("Import staff"), reverse("lms_staff_import"), icon_name="upload", order=900, action="org.import_staff"
    )


@hooks.register("insert_global_admin_js")
def _admin_labels_js():
    """Accessible names for the admin inputs Wagtail leaves without one (rich text, tags); see the script."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}" defer></script>', static("lms/admin-labels.js"))


@hooks.register("before_serve_page")
def plain_pages_lead_home(page, request, serve_args, serve_kwargs):
    """A plain Wagtail page (the site's root, or a folder an editor added) has no template of HocSo's own:
    visitors are sent to the home page (anonymous visitors on to sign in) rather than shown Wagtail's bare page."""
    from django.http import HttpResponseRedirect
    from wagtail.models import Page

    if page.specific_class is Page:
        return HttpResponseRedirect(reverse("home"))
    return None
