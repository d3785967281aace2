"""Signal receivers of the accounts app.

Signals are used only where the change happens inside a library's own views (allauth's enrolment pages,
Wagtail's API token pages): they record the audit trail and keep the session's second-factor flag right.
HocSo's own writes record their audits in their services and admin views.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save


def _on_signed_in(sender, request, user, **kwargs):
    from .second_factor import session_mark

    if request is not None:
        session_mark(request, user)


def _on_authenticator_added(sender, request, user, authenticator, **kwargs):
    from . import audit
    from .second_factor import SESSION_KEY

    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
    audit.record(actor=user, action="accounts.second_factor_enrol", target=user, params={"type": authenticator.type})


def _on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    from . import audit

    audit.record(actor=user, action="accounts.second_factor_remove", target=user, params={"type": authenticator.type})


def _on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    from . import audit

    audit.record(
        actor=user, action="accounts.recovery_codes_regenerate", target=user, params={"type": authenticator.type}
    )


def _on_wagtail_log(sender, instance, created, **kwargs):
    """Wagtail's admin logs API token creation and revocation in its own action log; mirror them."""
    actions = {
        "wagtail.apitoken.create": "accounts.api_token_create",
        "wagtail.apitoken.revoke": "accounts.api_token_revoke",
    }
    if not created or instance.action not in actions:
        return
    from wagtail.models import APIToken

    from . import audit

    token = APIToken.objects.select_related("user").filter(pk=instance.object_id).first()
    audit.record(
        actor=instance.user,
        action=actions[instance.action],
        target=token.user if token else instance.label,
        params={"token": instance.label, "prefix": token.prefix if token else ""},
    )


def connect() -> None:
    from allauth.mfa import signals as mfa_signals
    from wagtail.models import ModelLogEntry

    user_logged_in.connect(_on_signed_in, dispatch_uid="hocso-second-factor-mark")
    mfa_signals.authenticator_added.connect(_on_authenticator_added, dispatch_uid="hocso-mfa-added")
    mfa_signals.authenticator_removed.connect(_on_authenticator_removed, dispatch_uid="hocso-mfa-removed")
    mfa_signals.authenticator_reset.connect(_on_authenticator_reset, dispatch_uid="hocso-mfa-reset")
    post_save.connect(_on_wagtail_log, sender=ModelLogEntry, dispatch_uid="hocso-token-audit")
