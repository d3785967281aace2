"""Leavers: people missing from a full HR export lose every way in, set-based (a fixed number of queries).

Their profile and account become inactive (password, directory and single sign-on all refuse an inactive
account; an old session resolves to nobody, see ``AccountBackend.get_user``), their API tokens are revoked and
their pending invitations withdrawn. Their records stay and drop out of current reports (which count active
staff). Someone who reappears in a later import is reactivated by the import itself.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lms.models import StaffProfile
from lms.sql import values_of as _values_of

from .. import audit
from ..models import Invitation


@transaction.atomic
def staff_deactivate_missing(*, present_numbers: list[str], actor=None) -> int:
    """Deactivate every active person whose employee number is not in ``present_numbers``. Returns how many."""
    missing = StaffProfile.objects.filter(is_active=True).exclude(employee_number__in=_values_of(present_numbers))
    leavers = list(missing.select_for_update().values_list("pk", "full_name", "employee_number", "unit_id"))
    if not leavers:
        return 0
    now = timezone.now()
    StaffProfile.objects.filter(is_active=True).exclude(employee_number__in=_values_of(present_numbers)).update(
        is_active=False, updated_at=now
    )
    gone = Q(staff_profile__is_active=False)
    get_user_model().objects.filter(gone, is_active=True).update(is_active=False)
    from wagtail.models import APIToken

    APIToken.objects.filter(user__staff_profile__is_active=False, revoked_at__isnull=True).update(revoked_at=now)
    Invitation.objects.filter(user__staff_profile__is_active=False).pending(now).update(revoked_at=now)
    audit.record_many(
        actor=actor,
        action="accounts.deactivate_by_import",
        rows=[audit.Row(StaffProfile, pk, f"{name} ({number})", unit_id, {}) for pk, name, number, unit_id in leavers],
    )
    return len(leavers)
