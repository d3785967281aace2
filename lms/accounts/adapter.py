"""The one module that adapts django-allauth to HocSo (accounts, second factor, single sign-on).

allauth calls these adapters (settings ``ACCOUNT_ADAPTER``, ``MFA_ADAPTER``, ``SOCIALACCOUNT_ADAPTER``).
"""

from __future__ import annotations

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lms import throttle

from . import audit

MSG_LOCKED = _("Too many failed sign-in attempts. Wait %(minutes)d minutes and try again.")
MSG_MISMATCH = _("The username (or e-mail) and password do not match. Check them and try again.")


def language_of(user) -> str:
    profile = getattr(user, "staff_profile", None) if user is not None else None
    language = getattr(profile, "language", None)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": MSG_MISMATCH,
        "email_password_mismatch": MSG_MISMATCH,
    }

    def __init__(self, request=None):
        super().__init__(request)
        # Rendered at use: the lock-out message names the window in minutes.
        self.error_messages = {
            **self.error_messages,
            "too_many_login_attempts": MSG_LOCKED % {"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60},
        }

    def is_open_for_signup(self, request) -> bool:
        return False  # people come from the HR import; they join by invitation, single sign-on or directory

    def get_client_ip(self, request) -> str:
        return throttle.client_address(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Someone who must enrol a second factor and signed in moments ago is not asked for their password
        again to turn it on (the sign-in is the proof); every other sensitive change still asks."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        from allauth.account import app_settings as account_settings
        from allauth.account.authentication import get_authentication_records

        from .second_factor import SESSION_KEY

        request = self.request
        if app != "allauth.mfa" or request is None or not request.session.get(SESSION_KEY):
            return True
        records = get_authentication_records(request, request.user)
        return not (records and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT)

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            self._audit_lockout(request, credentials.get("username") or credentials.get("email") or "")
            raise

    def _audit_lockout(self, request, login: str) -> None:
        """Sign-in attempts beyond the throttle: one audit entry per account and address per lock-out window."""
        address = self.get_client_ip(request)
        marker = f"hocso:lockout-audited:{login.lower()}:{address}"
        if cache.add(marker, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
            user = get_user_model().objects.filter(username__iexact=login).first() if login else None
            audit.record(
                actor=None,
                action="accounts.sign_in_locked",
                target=user or login,
                params={"login": login[:150], "address": address},
            )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account e-mail goes out in the recipient's language, not the requester's."""
        user = context.get("user")
        if user is None:
            user = get_user_model().objects.filter(email__iexact=email).select_related("staff_profile").first()
        with translation.override(language_of(user)):
            super().send_mail(template_prefix, email, context)

    def send_password_reset_mail(self, user, email: str, context: dict) -> None:
        """Imported staff who never joined get their invitation instead of a reset link."""
        from .services.invitations import invitation_send_instead_of_reset

        if invitation_send_instead_of_reset(user=user):
            return
        super().send_password_reset_mail(user, email, context)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """HR and Administrators may not remove their last second factor (an administrator can reset it)."""
        from .second_factor import FACTOR_TYPES, requires_second_factor

        if authenticator.type not in FACTOR_TYPES or not requires_second_factor(authenticator.user):
            return True
        others = type(authenticator).objects.filter(user_id=authenticator.user_id, type__in=FACTOR_TYPES)
        return others.exclude(pk=authenticator.pk).exists()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return bool(getattr(settings, "OIDC_ALLOW_CREATE", False))
