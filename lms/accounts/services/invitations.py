"""Invitations for imported staff: create them set-based, send them in batches (a Celery task), accept one.

Who may be invited: active staff with an e-mail address who have never signed in. ``invitations_create``
writes one row per person in one INSERT and enqueues the sending after commit, ``INVITATION_BATCH_SIZE``
people per task; ``invitations_send`` (the task's body) gives each a fresh secret, marks it sent and sends
the e-mails over one connection, in each recipient's language.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from lms.models import StaffProfile

from .. import audit
from ..models import Invitation, InvitationState, with_invitation_state

logger = logging.getLogger(__name__)

MSG_INVALID = _("This invitation link is not valid. Check that you copied the whole link from the e-mail.")
MSG_USED = _(
    "This invitation has already been used. Sign in with the password you chose, or use “Forgot your password?”."
)
MSG_EXPIRED = _("This invitation has expired. Ask HR to send you a new one, or use “Forgot your password?”.")
MSG_WITHDRAWN = _("This invitation was replaced by a newer one. Use the link in the most recent e-mail.")
MSG_INACTIVE = _("Your account is not active. Contact HR.")


class InvitationError(Exception):
    """A link that cannot be used; ``str()`` is the message for the person."""


@dataclass
class InvitationBatch:
    invited: int
    people: list[int]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def people_to_invite(*, people: QuerySet[StaffProfile], include_expired: bool = False) -> QuerySet[StaffProfile]:
    """Active people with an e-mail who have never signed in and have no invitation (or an expired one)."""
    states = [InvitationState.NOT_INVITED.value] + ([InvitationState.EXPIRED.value] if include_expired else [])
    return (
        with_invitation_state(people.filter(is_active=True, user__is_active=True).exclude(user__email=""))
        .filter(invitation_state__in=states)
        .order_by("pk")
    )


@transaction.atomic
def invitations_create(
    *, people: QuerySet[StaffProfile], actor, resend: bool = False, include_expired: bool = False
) -> InvitationBatch:
    """Invite ``people`` (already narrowed to what ``actor`` may invite). Without ``resend`` only those not yet
    invited (and, with ``include_expired``, those whose invitation expired); with ``resend`` everyone in
    ``people`` who has not joined, withdrawing their earlier links. A fixed number of queries."""
    if resend:
        eligible = (
            with_invitation_state(people.filter(is_active=True, user__is_active=True).exclude(user__email=""))
            .exclude(invitation_state=InvitationState.JOINED.value)
            .order_by("pk")
        )
    else:
        eligible = people_to_invite(people=people, include_expired=include_expired)
    rows = list(eligible.values_list("pk", "user_id", "full_name", "employee_number", "unit_id"))
    if not rows:
        return InvitationBatch(invited=0, people=[])
    user_ids = [row[1] for row in rows]
    now = timezone.now()
    Invitation.objects.filter(user_id__in=user_ids, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    created = Invitation.objects.bulk_create(
        [Invitation(user_id=user_id, created_by_id=actor_id) for user_id in user_ids], batch_size=1000
    )
    ids = [invitation.pk for invitation in created]
    if ids[0] is None:  # backends that do not return ids from bulk_create
        ids = list(
            Invitation.objects.filter(user_id__in=user_ids, sent_at__isnull=True, revoked_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
    size = settings.INVITATION_BATCH_SIZE

    def enqueue():
        from ..tasks import invitations_send_task

        for start in range(0, len(ids), size):
            invitations_send_task.delay(ids[start : start + size])

    transaction.on_commit(enqueue)
    audit.record_many(
        actor=actor,
        action="accounts.invite",
        rows=[
            audit.Row(StaffProfile, pk, f"{name} ({number})", unit_id, {"resend": resend})
            for pk, _user_id, name, number, unit_id in rows
        ],
    )
    return InvitationBatch(invited=len(rows), people=[row[0] for row in rows])


def _link(token: str) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('accounts_invitation', args=[token])}"


def _message(invitation: Invitation, token: str) -> EmailMultiAlternatives:
    user = invitation.user
    profile = getattr(user, "staff_profile", None)
    language = getattr(profile, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "person": profile,
            "user": user,
            "link": _link(token),
            "expires_at": invitation.expires_at,
            "days": settings.INVITATION_DAYS,
            "username": user.get_username(),
        }
        subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
        body = render_to_string("accounts/email/invitation_message.txt", context)
    return EmailMultiAlternatives(
        subject=f"[HocSo] {subject}", body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )


def invitations_send(*, invitation_ids: list[int]) -> int:
    """Send the given invitations that are still unsent. Safe to run again: a sent one is skipped. Returns the
    number sent."""
    now = timezone.now()
    with transaction.atomic():
        invitations = list(
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user__staff_profile")
            .filter(pk__in=invitation_ids, sent_at__isnull=True, revoked_at__isnull=True, accepted_at__isnull=True)
        )
        tokens = {}
        for invitation in invitations:
            token = secrets.token_urlsafe(32)
            tokens[invitation.pk] = token
            invitation.token_hash = _hash(token)
            invitation.sent_at = now
            invitation.expires_at = now + timedelta(days=settings.INVITATION_DAYS)
        Invitation.objects.bulk_update(invitations, ["token_hash", "sent_at", "expires_at"])
    if not invitations:
        return 0
    messages = [_message(invitation, tokens[invitation.pk]) for invitation in invitations]
    failed: list[int] = []
    with get_connection() as connection:
        for invitation, message in zip(invitations, messages, strict=True):
            message.connection = connection
            try:
                message.send()
            except Exception:  # noqa: BLE001 - one bad address must not stop the batch
                logger.exception("Invitation %s to %s could not be sent", invitation.pk, invitation.user.email)
                failed.append(invitation.pk)
    if failed:
        # Unsent: the next run (or a resend) sends them again with a new secret.
        Invitation.objects.filter(pk__in=failed).update(sent_at=None, token_hash=None, expires_at=None)
    return len(invitations) - len(failed)


def invitation_check(*, token: str) -> Invitation:
    """The invitation behind a link, if it can still be used; otherwise InvitationError with the reason."""
    invitation = Invitation.objects.select_related("user__staff_profile").filter(token_hash=_hash(token)).first()
    if invitation is None:
        raise InvitationError(str(MSG_INVALID))
    if invitation.accepted_at is not None:
        raise InvitationError(str(MSG_USED))
    if invitation.revoked_at is not None:
        raise InvitationError(str(MSG_WITHDRAWN))
    if invitation.expires_at is None or invitation.expires_at <= timezone.now():
        raise InvitationError(str(MSG_EXPIRED))
    profile = getattr(invitation.user, "staff_profile", None)
    if not invitation.user.is_active or (profile is not None and not profile.is_active):
        raise InvitationError(str(MSG_INACTIVE))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str):
    """Set the first password through an invitation; the link is used up. Returns the user.
    Raises InvitationError for a bad link and ValidationError for a weak password (nothing changed)."""
    invitation = invitation_check(token=token)
    # Lock the row: two submissions of the same link cannot both succeed.
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError(str(MSG_USED))
    user = invitation.user
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


def invitation_send_instead_of_reset(*, user) -> bool:
    """ "Forgot your password?" for someone imported who never joined: they get a (new) invitation instead of a
    reset link, which would not work for an account without a password. True if an invitation went out."""
    if user.last_login is not None or user.has_usable_password() or not user.is_active:
        return False
    people = StaffProfile.objects.filter(user=user)
    return invitations_create(people=people, actor=None, resend=True).invited > 0


def invitation_states(people: QuerySet[StaffProfile]) -> dict[str, int]:
    """How many of ``people`` are in each state (one aggregate query)."""
    counts = dict.fromkeys(InvitationState.values, 0)
    rows = with_invitation_state(people).order_by().values("invitation_state").annotate(n=Count("pk"))
    counts.update({row["invitation_state"]: row["n"] for row in rows})
    return counts
