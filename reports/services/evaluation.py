"""Evaluation periods: open, comment, close (immutable snapshot), reopen. Every step is audited."""

from __future__ import annotations

import datetime
import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms import policy

from .. import conf
from ..models import EvaluationComment, EvaluationPeriod, EvaluationRecord, PeriodStatus
from ..selectors import evaluation as sel
from .audit import audit_record


class EvaluationError(ValueError):
    """A request about an evaluation period that cannot be carried out; the message says why."""


@transaction.atomic
def evaluation_period_open(
    *,
    actor,
    unit,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    framework=None,
    thresholds=None,
    coverage_threshold: float | None = None,
    name_en: str = "",
) -> EvaluationPeriod:
    if not policy.can(actor, "reports.view_unit", unit):
        raise EvaluationError(_("You may open evaluation periods only for units in your HR scope."))
    if not name.strip():
        raise EvaluationError(_("Give the period a name."))
    if ends_on < starts_on:
        raise EvaluationError(_("The period must end on or after its first day."))
    if EvaluationPeriod.objects.filter(unit=unit, starts_on=starts_on, ends_on=ends_on).exists():
        raise EvaluationError(_("This unit already has an evaluation period with these dates."))
    bands = _index_thresholds(thresholds or conf.index_bands())
    if bands is None:
        raise EvaluationError(
            pgettext("evaluation rating", "Band thresholds must be three numbers in decreasing order.")
        )
    coverage_needed = conf.coverage_threshold() if coverage_threshold is None else coverage_threshold
    if not _in_unit_interval(coverage_needed):
        raise EvaluationError(
            pgettext(
                "evaluation rating",
                "The coverage needed for a suggested band must be a share greater than 0 and at most 1.",
            )
        )
    period = EvaluationPeriod.objects.create(
        name=name.strip(),
        coverage_threshold=float(coverage_needed),
        name_en=(name_en or "").strip(),
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        framework=framework,
        thresholds=bands,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action="evaluation.open",
        target=period,
        params={
            "name": period.name,
            "name_en": period.name_en,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "thresholds": bands,
            "coverage_threshold": period.coverage_threshold,
        },
        unit=unit,
    )
    return period


def _index_thresholds(values) -> list[float] | None:
    """Three finite numbers between 0 and 100 in decreasing order, or None."""
    try:
        bands = [float(v) for v in values if not isinstance(v, bool)]
    except (TypeError, ValueError):
        return None
    if len(bands) != 3 or len(list(values)) != 3 or not all(math.isfinite(b) and 0 <= b <= 100 for b in bands):
        return None
    return bands if bands[0] >= bands[1] >= bands[2] else None


def _in_unit_interval(value) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, bool) and math.isfinite(number) and 0 < number <= 1


def _locked(period_id: int) -> EvaluationPeriod:
    return EvaluationPeriod.objects.select_for_update().select_related("unit").get(pk=period_id)


@transaction.atomic
def evaluation_comment_set(*, actor, period: EvaluationPeriod, person, text: str) -> EvaluationComment | None:
    period = _locked(period.pk)
    if period.status != PeriodStatus.OPEN:
        raise EvaluationError(_("The period is closed; reopen it to change comments."))
    if not sel.can_manage(actor, period) and not policy.unit_in_hr_scope(actor, person.unit):
        raise EvaluationError(_("This person is outside your HR scope."))
    if not person.unit.path.startswith(period.unit.path):
        raise EvaluationError(_("This person is not part of the period's units."))
    text = (text or "").strip()
    if len(text) > 4000:
        raise EvaluationError(_("The comment is too long (at most 4,000 characters)."))
    audit_record(
        actor=actor, action="evaluation.comment", target=person, params={"period": period.pk, "length": len(text)}
    )
    if not text:
        EvaluationComment.objects.filter(period=period, person=person).delete()
        return None
    comment, _created = EvaluationComment.objects.update_or_create(
        period=period, person=person, defaults={"text": text, "updated_by": actor}
    )
    return comment


def evaluation_period_close(*, actor, period: EvaluationPeriod, today=None) -> EvaluationPeriod:
    """Close now (small periods) or mark the period closing and let Celery build the snapshot (large ones)."""
    with transaction.atomic():
        period = _locked(period.pk)
        if not sel.can_manage(actor, period):
            raise EvaluationError(_("Only HR responsible for the whole unit may close this period."))
        if period.status != PeriodStatus.OPEN:
            raise EvaluationError(_("Only an open period can be closed."))
        count = sel.period_people(period).count()
        audit_record(actor=actor, action="evaluation.close", target=period, params={"people": count}, unit=period.unit)
        period.status = PeriodStatus.CLOSING
        period.closed_by = actor
        period.closed_at = timezone.now()  # when closing started; set again when the snapshot is written
        period.save(update_fields=["status", "closed_by", "closed_at"])
        if count > conf.background_threshold():
            from ..tasks import evaluation_snapshot_task

            transaction.on_commit(lambda: evaluation_snapshot_task.delay(period.pk))
            return period
    return evaluation_snapshot_build(period_id=period.pk, today=today)


@transaction.atomic
def evaluation_snapshot_build(*, period_id: int, today=None) -> EvaluationPeriod:
    """Write the frozen records of a closing period and mark it closed. Safe to re-run: a closed period is
    left alone, and a half-written snapshot never exists (one transaction)."""
    period = _locked(period_id)
    if period.status != PeriodStatus.CLOSING:
        return period
    version = period.snapshot_version + 1
    batch: list[EvaluationRecord] = []
    for row in sel.evaluation_rows(period, sel.period_people(period), today=today):
        batch.append(
            EvaluationRecord(
                period=period,
                version=version,
                person_id=row["person_id"],
                unit_id=row["unit_id"],
                **{field: row[field] for field in sel.RECORD_FIELDS},
            )
        )
        if len(batch) >= 2000:
            EvaluationRecord.objects.bulk_create(batch)
            batch = []
    if batch:
        EvaluationRecord.objects.bulk_create(batch)
    period.status = PeriodStatus.CLOSED
    period.closed_at = timezone.now()
    period.snapshot_version = version
    period.save(update_fields=["status", "closed_at", "snapshot_version"])
    return period


@transaction.atomic
def evaluation_period_reopen(*, actor, period: EvaluationPeriod, reason: str) -> EvaluationPeriod:
    period = _locked(period.pk)
    if not sel.can_manage(actor, period):
        raise EvaluationError(_("Only HR responsible for the whole unit may reopen this period."))
    if period.status != PeriodStatus.CLOSED:
        raise EvaluationError(_("Only a closed period can be reopened."))
    if not (reason or "").strip():
        raise EvaluationError(_("Say why the period is reopened; the reason goes into the audit trail."))
    audit_record(
        actor=actor,
        action="evaluation.reopen",
        target=period,
        params={"reason": reason.strip(), "closed_version": period.snapshot_version, "closed_at": period.closed_at},
        unit=period.unit,
    )
    period.status = PeriodStatus.OPEN
    period.closed_at = None
    period.closed_by = None
    period.save(update_fields=["status", "closed_at", "closed_by"])
    return period


def evaluation_closings_resend(*, now=None, stale_seconds: int | None = None) -> int:
    """Send the snapshot task again for periods stuck in "closing" (its message was lost or its worker died).
    A duplicate is harmless: the task locks the period and does nothing once it is closed."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=stale_seconds if stale_seconds is not None else conf.job_stale_seconds())
    from ..tasks import evaluation_snapshot_task

    resent = 0
    with transaction.atomic():
        for period in EvaluationPeriod.objects.select_for_update(skip_locked=True).filter(
            status=PeriodStatus.CLOSING, closed_at__lt=stale
        ):
            period.closed_at = now
            period.save(update_fields=["closed_at"])
            transaction.on_commit(lambda pk=period.pk: evaluation_snapshot_task.delay(pk))
            resent += 1
    return resent
