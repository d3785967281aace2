"""Accounts in the Wagtail admin: role changes audited, and an administrator's "reset second factor"."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from lms import policy

from . import admin_views, audit


def _roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@hooks.register("before_edit_user")
def _remember_roles(request, user):
    request._hocso_roles_before = _roles(user)


@hooks.register("after_edit_user")
def _audit_role_change(request, user):
    before, after = getattr(request, "_hocso_roles_before", set()), _roles(user)
    if before != after:
        audit.record(
            actor=request.user,
            action="accounts.roles_change",
            target=user,
            params={"added": sorted(after - before), "removed": sorted(before - after)},
        )


@hooks.register("after_create_user")
def _audit_new_roles(request, user):
    after = _roles(user)
    if after:
        audit.record(
            actor=request.user,
            action="accounts.roles_change",
            target=user,
            params={"added": sorted(after), "removed": []},
        )


@hooks.register("register_admin_urls")
def _urls():
    return [
        path(
            "accounts/second-factor/<int:user_id>/reset/",
            admin_views.second_factor_reset_view,
            name="accounts_second_factor_reset",
        ),
        path("accounts/invite/", admin_views.invite_staff_view, name="accounts_invite_staff"),
    ]


@hooks.register("register_settings_menu_item")
def _invite_menu_item():
    from lms.wagtail_hooks import PolicyMenuItem

    return PolicyMenuItem(
        _("Invite staff"),
        reverse("accounts_invite_staff"),
        icon_name="mail",
        order=910,
        action="accounts.reset_second_factor",
    )


@hooks.register("register_user_listing_buttons")
def _reset_button(user, request_user):
    if policy.can(request_user, "accounts.reset_second_factor", user):
        yield ListingButton(
            _("Reset second factor"),
            reverse("accounts_second_factor_reset", args=[user.pk]),
            priority=60,
        )
