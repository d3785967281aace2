from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from lms.wagtail_hooks import PolicyMenuItem

from . import admin_views
from .models import ActivityMapping


@hooks.register("register_admin_urls")
def _urls():
    return [
        path("lrs/credentials/", admin_views.credentials_view, name="xapi_credentials"),
        path("lrs/credentials/<int:pk>/revoke/", admin_views.credential_revoke_view, name="xapi_credential_revoke"),
        path("lrs/forwarding/", admin_views.forwarding_view, name="xapi_forwarding"),
    ]


@hooks.register("register_settings_menu_item")
def _credentials_menu_item():
    return PolicyMenuItem(
        _("LRS credentials"), reverse("xapi_credentials"), icon_name="key", order=920, action="xapi.manage"
    )


@hooks.register("register_settings_menu_item")
def _forwarding_menu_item():
    return PolicyMenuItem(
        _("xAPI forwarding"), reverse("xapi_forwarding"), icon_name="redirect", order=921, action="xapi.manage"
    )


class ActivityMappingViewSet(ModelViewSet):
    """Administrators map activity IRIs (exact or prefix) to competencies, with a band and a weight."""

    model = ActivityMapping
    icon = "link"
    menu_label = _("xAPI activity mappings")
    add_to_settings_menu = True
    list_display = ["iri", "match", "competency", "band", "weight"]
    list_filter = ["match"]
    search_fields = ["iri"]
    form_fields = ["iri", "match", "competency", "band", "weight"]

    def get_queryset(self, request):
        return ActivityMapping.objects.select_related("competency__framework")


@hooks.register("register_admin_viewset")
def _viewsets():
    return [ActivityMappingViewSet("xapi_activity_mappings")]
