"""The second factor (allauth.mfa): who must have one, enrolment for the demo and tests, and resets.

HR and Administrators (and superusers) must enrol a TOTP authenticator; until they have, every page but the
enrolment page refuses them (``SecondFactorRequiredMiddleware``), and so does the API. Whether a session
still lacks it is decided once, at sign-in, and kept in the session, so ordinary requests cost no query.
"""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.db import transaction

from lms import policy, roles

from . import audit

SESSION_KEY = "hocso_second_factor_missing"
SESSION_CHECKED_AT = "hocso_second_factor_checked_at"  # when the session's roles were last checked
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def requires_second_factor(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or {roles.HR, roles.ADMINISTRATORS} & policy.role_names(user))


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).exists()


def second_factor_missing(user) -> bool:
    return requires_second_factor(user) and not has_second_factor(user)


def session_mark(request, user) -> None:
    """At sign-in: remember in the session whether this person still has to enrol."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[SESSION_CHECKED_AT] = int(time.time())
    if second_factor_missing(user):
        session[SESSION_KEY] = True
    else:
        session.pop(SESSION_KEY, None)


def recheck_due(request) -> None:
    """Check the session again if it was last checked more than ``SECOND_FACTOR_RECHECK_SECONDS`` ago: a role
    that needs a second factor may have been granted since sign-in."""
    session = request.session
    now = int(time.time())
    if now - session.get(SESSION_CHECKED_AT, 0) < settings.SECOND_FACTOR_RECHECK_SECONDS:
        return
    session[SESSION_CHECKED_AT] = now
    if second_factor_missing(request.user):
        session[SESSION_KEY] = True


def totp_secret_of(user) -> str | None:
    authenticator = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def totp_code(secret: str, at: float | None = None) -> str:
    """The current six-digit code for ``secret`` (what an authenticator app shows)."""
    import time

    from allauth.mfa import app_settings

    counter = int(at if at is not None else time.time()) // app_settings.TOTP_PERIOD
    return f"{hotp_value(secret, counter):0{app_settings.TOTP_DIGITS}}"


def recovery_codes_of(user) -> list[str]:
    authenticator = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES).first()
    return RecoveryCodes(authenticator).get_unused_codes() if authenticator else []


@transaction.atomic
def totp_enrol(*, user, secret: str | None = None) -> tuple[str, list[str]]:
    """Give ``user`` a TOTP authenticator and recovery codes unless they have them; returns the secret and the
    unused recovery codes. Used only to seed the demo and by the test factories (not audited: nobody acted);
    people enrol themselves on the enrolment page (allauth's flow, audited through its signal)."""
    existing = totp_secret_of(user)
    if existing is None:
        existing = secret or generate_totp_secret()
        TOTP.activate(user, existing)
    RecoveryCodes.activate(user)
    return existing, recovery_codes_of(user)


@transaction.atomic
def second_factor_reset(*, actor, user) -> int:
    """An administrator removes a person's second factor (lost device). They enrol again at their next
    sign-in, if their role needs one. Returns how many authenticators were removed."""
    removed, _by_type = Authenticator.objects.filter(user_id=user.pk).delete()
    audit.record(
        actor=actor, action="accounts.second_factor_reset", target=user, params={"authenticators_removed": removed}
    )
    return removed
