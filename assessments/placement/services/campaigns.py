"""Placement campaigns: HR assign the diagnostic to units or positions by a due date, like assigned training.

Targets are computed by the courses' rule (``courses.services.assignments.people_targeted``), so a campaign
follows the organisation as it changes without a fan-out: the people concerned are always read afresh.
Reminders follow the assigned-training ones (``courses.services.reminders``): the same kinds, a week before
the due date and once overdue, each sent once (a unique row is the claim), from the same hourly beat.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from courses.models import ReminderKind
from courses.services.assignments import clean_positions, people_targeted
from courses.services.reminders import REMIND_DAYS_BEFORE
from lms import policy
from lms.models import StaffProfile, Unit
from reports.services.audit import audit_record

from .. import errors
from ..models import CampaignReminder, DiagnosticCampaign, DiagnosticForm, DiagnosticSession, FormStatus, SessionStatus


def campaign_targets(campaign: DiagnosticCampaign) -> QuerySet[StaffProfile]:
    return people_targeted(
        units=list(campaign.units.all()), include_subunits=campaign.include_subunits, positions=campaign.positions
    )


def placed_sessions(framework_id: int) -> QuerySet[DiagnosticSession]:
    """Completed, current placements on any form of the framework (filter further on ``person``)."""
    return DiagnosticSession.objects.filter(
        form__framework_id=framework_id, status=SessionStatus.COMPLETED, superseded_at__isnull=True
    )


def _validate(
    *, actor, title: str, form: DiagnosticForm | None, units: list[Unit], positions: list[str], due_date, today: date
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not (title or "").strip():
        problems.setdefault("title", []).append(str(errors.CAMPAIGN_NO_TITLE))
    if form is None or form.status != FormStatus.PUBLISHED:
        problems.setdefault("form", []).append(str(errors.CAMPAIGN_FORM_NOT_PUBLISHED))
    if not units and not positions:
        problems.setdefault("units", []).append(str(errors.CAMPAIGN_NO_TARGET))
    for unit in units:
        if not policy.can(actor, "placement.campaign", unit):
            problems.setdefault("units", []).append(str(errors.CAMPAIGN_UNIT_OUT_OF_SCOPE % {"unit": unit.name}))
    if not units and positions and not policy.can(actor, "placement.campaign", None):
        problems.setdefault("units", []).append(str(errors.CAMPAIGN_MINISTRY_WIDE))
    if due_date is None or due_date < today:
        problems.setdefault("due_date", []).append(str(errors.CAMPAIGN_DUE_IN_PAST))
    return problems


def _audit_params(campaign: DiagnosticCampaign, units: list[Unit]) -> dict:
    return {
        "title": campaign.title,
        "form": campaign.form_id,
        "units": [u.code for u in units],
        "include_subunits": campaign.include_subunits,
        "positions": campaign.positions,
        "due_date": campaign.due_date,
        "active": campaign.is_active,
    }


def _unit_for_audit(units: list[Unit]) -> Unit | None:
    return units[0] if len(units) == 1 else None


@transaction.atomic
def campaign_create(
    *,
    actor,
    title: str,
    form: DiagnosticForm | None,
    units: list[Unit],
    positions: list[str],
    due_date: date,
    include_subunits: bool = True,
    today: date | None = None,
) -> DiagnosticCampaign:
    """Validate and record a campaign with its audit entry; refused (nothing written) with ``CampaignInvalid``."""
    today = today or timezone.localdate()
    positions = clean_positions(positions)
    problems = _validate(
        actor=actor, title=title, form=form, units=units, positions=positions, due_date=due_date, today=today
    )
    if problems:
        raise errors.CampaignInvalid(problems)
    campaign = DiagnosticCampaign.objects.create(
        title=title.strip(),
        form=form,
        include_subunits=include_subunits,
        positions=positions,
        due_date=due_date,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    campaign.units.set(units)
    audit_record(
        actor=actor,
        action="placement.campaign_create",
        target=campaign,
        params=_audit_params(campaign, units),
        unit=_unit_for_audit(units),
    )
    return campaign


@transaction.atomic
def campaign_update(
    *,
    actor,
    campaign: DiagnosticCampaign,
    title: str,
    form: DiagnosticForm | None,
    units: list[Unit],
    positions: list[str],
    due_date: date,
    include_subunits: bool = True,
    is_active: bool = True,
    today: date | None = None,
) -> DiagnosticCampaign:
    """Change a campaign (the actor must be allowed every unit before and after); audited with what changed."""
    today = today or timezone.localdate()
    positions = clean_positions(positions)
    campaign = DiagnosticCampaign.objects.select_for_update().get(pk=campaign.pk)
    before_units = list(campaign.units.all())
    problems = _validate(
        actor=actor, title=title, form=form, units=units, positions=positions, due_date=due_date, today=today
    )
    for unit in before_units:
        if not policy.can(actor, "placement.campaign", unit):
            problems.setdefault("units", []).append(str(errors.CAMPAIGN_UNIT_OUT_OF_SCOPE % {"unit": unit.name}))
    if problems:
        raise errors.CampaignInvalid(problems)
    before = _audit_params(campaign, before_units)
    campaign.title = title.strip()
    campaign.form = form
    campaign.include_subunits = include_subunits
    campaign.positions = positions
    campaign.due_date = due_date
    campaign.is_active = is_active
    campaign.save()
    campaign.units.set(units)
    after = _audit_params(campaign, units)
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    audit_record(
        actor=actor,
        action="placement.campaign_change",
        target=campaign,
        params={"title": campaign.title, "changes": changed},
        unit=_unit_for_audit(units),
    )
    return campaign


def campaign_counts(campaign: DiagnosticCampaign, *, people: QuerySet[StaffProfile] | None = None) -> dict[str, int]:
    """Participation among the campaign's targets (narrowed to ``people``): one aggregate query."""
    from django.db.models import Count, Q

    targets = campaign_targets(campaign)
    if people is not None:
        targets = targets.filter(pk__in=people.values("pk"))
    framework_id = campaign.form.framework_id
    done = placed_sessions(framework_id).filter(person=OuterRef("pk"))
    started = DiagnosticSession.objects.filter(
        person=OuterRef("pk"), form__framework_id=framework_id, status=SessionStatus.IN_PROGRESS
    )
    row = targets.annotate(done=Exists(done), started=Exists(started)).aggregate(
        total=Count("pk"),
        taken=Count("pk", filter=Q(done=True)),
        in_progress=Count("pk", filter=Q(done=False, started=True)),
    )
    row["not_started"] = row["total"] - row["taken"] - row["in_progress"]
    return row


# ---- reminders ----


def _pending(campaign: DiagnosticCampaign):
    framework_id = campaign.form.framework_id
    return (
        campaign_targets(campaign)
        .exclude(Exists(placed_sessions(framework_id).filter(person=OuterRef("pk"))))
        .select_related("user")
        .order_by("pk")
    )


def _send_one(campaign: DiagnosticCampaign, person: StaffProfile, kind: str, today: date) -> bool:
    email = person.user.email if person.user_id else ""
    if not email:
        return False
    try:
        with transaction.atomic():
            CampaignReminder.objects.create(
                campaign=campaign, person=person, kind=kind, due_date=campaign.due_date, sent_at=timezone.now()
            )
            with translation.override(person.language or settings.LANGUAGE_CODE):
                context = {
                    "person": person,
                    "title": campaign.title,
                    "due_date": campaign.due_date,
                    "days_left": (campaign.due_date - today).days,
                    "kind": kind,
                    "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/my/placement/",
                }
                subject = render_to_string("placement/email/reminder_subject.txt", context).strip()
                body = render_to_string("placement/email/reminder_body.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    except IntegrityError:
        return False
    return True


def campaign_reminders_send(*, today: date | None = None) -> int:
    """Remind everyone targeted and not yet placed: due within a week, then once overdue. Returns how many."""
    today = today or timezone.localdate()
    sent = 0
    campaigns = DiagnosticCampaign.objects.filter(is_active=True).select_related("form")
    for campaign in campaigns.filter(due_date__lte=today + timedelta(days=REMIND_DAYS_BEFORE)):
        kind = ReminderKind.OVERDUE if campaign.due_date < today else ReminderKind.DUE_SOON
        already = set(
            CampaignReminder.objects.filter(campaign=campaign, kind=kind, due_date=campaign.due_date).values_list(
                "person_id", flat=True
            )
        )
        for person in _pending(campaign):
            if person.pk not in already:
                sent += _send_one(campaign, person, kind, today)
    return sent
