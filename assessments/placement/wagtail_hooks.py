from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from lms import policy

from .models import DiagnosticForm


class DiagnosticFormViewSet(ModelViewSet):
    model = DiagnosticForm
    icon = "list-ol"
    menu_label = _("Placement tests")
    add_to_admin_menu = False
    list_display = ["title_vi", "framework", "pool", "status", "published_at"]
    form_fields = [
        "title_vi",
        "title_en",
        "framework",
        "pool",
        "se_target",
        "min_items",
        "max_items",
        "stop_confidence",
        "randomesque",
        "max_exposure",
        "cut_scores",
        "retake_days",
    ]


@hooks.register("register_admin_viewset")
def _register_forms():
    return DiagnosticFormViewSet("placement_forms")


class _PolicyMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.can(request.user, "placement.manage")


@hooks.register("register_admin_menu_item")
def _placement_menu_item():
    return _PolicyMenuItem(_("Placement items"), reverse("placement_admin_index"), icon_name="list-ol", order=262)


@hooks.register("register_admin_urls")
def _placement_admin_urls():
    from . import admin_views

    return [
        path("placement/", admin_views.placement_index, name="placement_admin_index"),
        path("placement/<int:form_id>/items/", admin_views.placement_items, name="placement_admin_items"),
        path("placement/<int:form_id>/publish/", admin_views.placement_publish, name="placement_admin_publish"),
    ]
