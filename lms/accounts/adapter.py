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
        "enter_current_password": _("Type your current password."),
        "incorrect_password": _("The password is not right."),
        "invalid_password_reset": _("This reset link is not valid any more: ask for a new one."),
        "account_inactive": _("This account is no longer active."),
        "rate_limited": _("Too many requests: wait a few minutes and try again."),
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
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("This code is not right. Type the code your app shows now, or a recovery code."),
        "cannot_delete_authenticator": _("Your role needs a second factor: it cannot be turned off."),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        """HR and Administrators may not remove their last second factor (an administrator can reset it)."""
        from .second_factor import FACTOR_TYPES, requires_second_factor

        if authenticator.type not in FACTOR_TYPES or not requires_second_factor(authenticator.user):
            return True
        others = type(authenticator).objects.filter(user_id=authenticator.user_id, type__in=FACTOR_TYPES)
        return others.exclude(pk=authenticator.pk).exists()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on: the provider's person must be an officer HocSo already imported."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return bool(settings.OIDC_ALLOW_CREATE)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None) -> None:
        """A provider that did not answer in time gets its own page (the others: authentication_error.html)."""
        import logging

        import requests
        from allauth.core.exceptions import ImmediateHttpResponse

        logging.getLogger(__name__).warning("Single sign-on refused: %s %r", error, exception)
        if isinstance(exception, requests.RequestException):
            from .oidc.views import provider_unavailable

            raise ImmediateHttpResponse(provider_unavailable(request))

    def pre_social_login(self, request, sociallogin) -> None:
        from allauth.core.exceptions import ImmediateHttpResponse
        from django.shortcuts import render

        from .oidc.provider import NONCE_STATE_KEY

        claims = (sociallogin.account.extra_data or {}).get("id_token") or {}
        expected = (sociallogin.state or {}).get(NONCE_STATE_KEY)
        if not expected or claims.get("nonce") != expected:
            # A replayed or substituted ID token: refuse before anything is looked up or written.
            raise ImmediateHttpResponse(
                render(request, "socialaccount/authentication_error.html", {"reason": "nonce"}, status=400)
            )
        if sociallogin.is_existing:
            return
        if self._email_unverified(sociallogin):
            # An address the provider has not verified proves nothing: anyone who could set an officer's
            # address at the provider would otherwise be linked to that officer's account for good.
            raise ImmediateHttpResponse(
                render(
                    request,
                    "socialaccount/unknown_person.html",
                    {"unverified": True, "value": self._claim(sociallogin), "contact": settings.SUPPORT_CONTACT},
                    status=403,
                )
            )
        profile = self._match(sociallogin)
        if profile is None:
            if settings.OIDC_ALLOW_CREATE:
                return
            raise ImmediateHttpResponse(
                render(
                    request,
                    "socialaccount/unknown_person.html",
                    {
                        "claim": settings.OIDC_MATCH,
                        "value": self._claim(sociallogin),
                        "contact": settings.SUPPORT_CONTACT,
                    },
                    status=403,
                )
            )
        if not (profile.is_active and profile.user.is_active):
            raise ImmediateHttpResponse(render(request, "account/account_inactive.html", status=403))
        # First single sign-on of an imported officer: link the provider's account to them.
        sociallogin.connect(request, profile.user)

    @staticmethod
    def _claims(sociallogin) -> dict:
        data = sociallogin.account.extra_data or {}
        return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}

    def _email_unverified(self, sociallogin) -> bool:
        """Matching by e-mail needs the provider's ``email_verified`` (OIDC Core 5.1), unless
        OIDC_TRUST_UNVERIFIED_EMAIL says the provider's addresses are all set by the ministry."""
        if settings.OIDC_MATCH != "email" or settings.OIDC_TRUST_UNVERIFIED_EMAIL:
            return False
        return self._claims(sociallogin).get("email_verified") not in (True, "true")

    def _claim(self, sociallogin) -> str:
        merged = self._claims(sociallogin)
        name = "email" if settings.OIDC_MATCH == "email" else settings.OIDC_EMPLOYEE_NUMBER_CLAIM
        return str(merged.get(name) or "").strip()

    def _match(self, sociallogin):
        from lms.models import StaffProfile

        value = self._claim(sociallogin)
        if not value:
            return None
        people = StaffProfile.objects.select_related("user")
        if settings.OIDC_MATCH == "email":
            return people.filter(user__email__iexact=value).first()
        return people.filter(employee_number=value).first()
