"""Sign-in against the ministry's directory (LDAP / Active Directory) with django-auth-ldap; the one module that
uses it.

Configured from the environment (``LDAP_*`` in the settings, see the README). The directory checks the password;
the person must be an officer HocSo already imported, matched by the attribute ``LDAP_MATCH_ATTRIBUTE``
(an employee number, or an e-mail address with ``LDAP_MATCH=email``). Nobody is created and the directory never
overwrites what the HR import says. Optional ``LDAP_ROLE_GROUPS`` maps directory groups to HocSo roles.
A directory that is down is reported on the sign-in page; local accounts keep working (the model backend runs
first). The sign-in throttle applies before any backend is asked.
"""

from __future__ import annotations

import logging

import ldap
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_auth_ldap.backend import LDAPBackend, ldap_error
from django_auth_ldap.config import LDAPSearch

from lms.models import StaffProfile

from . import audit

logger = logging.getLogger(__name__)

NOTICE_DOWN = "down"
NOTICE_UNKNOWN = "unknown"


def _notice(request, value: str) -> None:
    if request is not None:
        request.hocso_directory_notice = value


def notice_of(request) -> str | None:
    return getattr(request, "hocso_directory_notice", None)


def directory_settings() -> dict:
    """django-auth-ldap's settings, built from HocSo's ``LDAP_*`` settings."""
    timeout = settings.LDAP_TIMEOUT
    return {
        "SERVER_URI": settings.LDAP_SERVER_URI,
        "BIND_DN": settings.LDAP_BIND_DN,
        "BIND_PASSWORD": settings.LDAP_BIND_PASSWORD,
        "START_TLS": settings.LDAP_START_TLS,
        "USER_SEARCH": LDAPSearch(settings.LDAP_USER_SEARCH_BASE, ldap.SCOPE_SUBTREE, settings.LDAP_USER_FILTER),
        "CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: timeout,
            ldap.OPT_TIMEOUT: timeout,
            ldap.OPT_REFERRALS: 0,  # Active Directory: do not chase referrals
        },
        "ALWAYS_UPDATE_USER": False,  # the HR import is the source of names and e-mails
        "NO_NEW_USERS": True,
        "CACHE_TIMEOUT": 0,
        **_group_settings(),
    }


def _group_settings() -> dict:
    if not settings.LDAP_ROLE_GROUPS:
        return {}
    from django_auth_ldap.config import ActiveDirectoryGroupType, GroupOfNamesType

    if settings.LDAP_GROUP_TYPE == "group_of_names":
        group_type, object_class = GroupOfNamesType(), "groupOfNames"
    else:
        group_type, object_class = ActiveDirectoryGroupType(), "group"
    return {
        "GROUP_SEARCH": LDAPSearch(
            settings.LDAP_GROUP_SEARCH_BASE, ldap.SCOPE_SUBTREE, f"(objectClass={object_class})"
        ),
        "GROUP_TYPE": group_type,
    }


class DirectoryBackend(LDAPBackend):
    settings_prefix = "HOCSO_AUTH_LDAP_"  # nothing is read under this prefix: everything comes from here

    @property
    def default_settings(self):
        return directory_settings()

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LDAP_SERVER_URI or not username or not password:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """Like the model backend: an inactive officer's session resolves to nobody."""
        user = get_user_model()._default_manager.select_related("staff_profile").filter(pk=user_id).first()
        return user if user is not None and user.is_active else None

    def get_or_build_user(self, username, ldap_user):
        values = ldap_user.attrs.get(settings.LDAP_MATCH_ATTRIBUTE.lower()) or []
        value = (values[0] if values else "").strip()
        people = StaffProfile.objects.select_related("user")
        if not value:
            profile = None
        elif settings.LDAP_MATCH == "email":
            profile = people.filter(user__email__iexact=value).first()
        else:
            profile = people.filter(employee_number=value).first()
        if profile is None:
            _notice(ldap_user._request, NOTICE_UNKNOWN)
            raise ldap_user.AuthenticationFailed(
                f"{ldap_user.dn}: {settings.LDAP_MATCH_ATTRIBUTE}={value!r} is not imported"
            )
        if settings.LDAP_ROLE_GROUPS:
            self._sync_roles(profile.user, ldap_user)
        return profile.user, False

    def _sync_roles(self, user, ldap_user) -> None:
        member_of = {dn.lower() for dn in ldap_user.group_dns}
        wanted = {role for role, dn in settings.LDAP_ROLE_GROUPS.items() if dn.lower() in member_of}
        managed = set(settings.LDAP_ROLE_GROUPS)
        current = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
        added, removed = wanted - current, current - wanted
        if added:
            user.groups.add(*Group.objects.filter(name__in=added))
        if removed:
            user.groups.remove(*Group.objects.filter(name__in=removed))
        if added or removed:
            audit.record(
                actor=None,
                action="accounts.roles_change",
                target=user,
                params={"added": sorted(added), "removed": sorted(removed), "source": "directory groups"},
            )


def _on_ldap_error(sender, context, user, request=None, exception=None, **kwargs):
    if context in ("authenticate", "search_for_user_dn"):
        logger.warning("Directory unreachable while signing in: %s", exception)
        _notice(request, NOTICE_DOWN)


ldap_error.connect(_on_ldap_error, dispatch_uid="hocso-directory-down")
