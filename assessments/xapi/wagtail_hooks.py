from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.wagtail_hooks import PolicyMenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def _urls():
    return [
        path("lrs/credentials/", admin_views.credentials_view, name="xapi_credentials"),
        path("lrs/credentials/<int:pk>/revoke/", admin_views.credential_revoke_view, name="xapi_credential_revoke"),
    ]


@hooks.register("register_settings_menu_item")
def _credentials_menu_item():
    return PolicyMenuItem(
        _("LRS credentials"), reverse("xapi_credentials"), icon_name="key", order=920, action="xapi.manage"
    )
