"""Invitations: how imported staff who cannot sign in yet set their first password."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, DateTimeField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvitationState(models.TextChoices):
    NOT_INVITED = "not_invited", _("Not invited")
    INVITED = "invited", _("Invited")
    JOINED = "joined", _("Joined")
    EXPIRED = "expired", _("Invitation expired")


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None) -> InvitationQuerySet:
        """Not used, not withdrawn and not expired (or not sent yet)."""
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class Invitation(models.Model):
    """One single-use link for one person. Only a hash of the link's secret is stored; the secret exists in the
    e-mail alone. Resending withdraws the person's earlier invitations and makes a new one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


def with_invitation_state(queryset, now=None):
    """Annotate a StaffProfile queryset with ``invitation_state`` (InvitationState) and ``invitation_expires_at``,
    in SQL (one query for a whole list, filterable). Joined = has signed in at least once, by any way in."""
    now = now or timezone.now()
    latest = Invitation.objects.filter(user_id=OuterRef("user_id"), revoked_at__isnull=True).order_by("-created_at")
    return queryset.annotate(
        invitation_expires_at=Subquery(latest.values("expires_at")[:1], output_field=DateTimeField()),
        invitation_created_at=Subquery(latest.values("created_at")[:1], output_field=DateTimeField()),
    ).annotate(
        invitation_state=Case(
            When(user__last_login__isnull=False, then=Value(InvitationState.JOINED.value)),
            When(invitation_created_at__isnull=True, then=Value(InvitationState.NOT_INVITED.value)),
            When(invitation_expires_at__lte=now, then=Value(InvitationState.EXPIRED.value)),
            default=Value(InvitationState.INVITED.value),
            output_field=models.CharField(),
        )
    )
