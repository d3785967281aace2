"""Reports: the append-only audit trail, background report jobs and evaluation periods."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reports.storage import job_result_path, private_reports_storage


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit entries are append-only.")

    def for_units(self, units) -> AuditEntryQuerySet:
        return self.filter(unit__in=units)


class AuditEntry(models.Model):
    """One thing somebody did that HR or an auditor may ask about later: who, what, when, with which parameters.

    Append-only: the queryset refuses update()/delete() and ``save()`` refuses to overwrite a stored row, so
    the trail cannot be edited through the ORM. ``unit`` is the unit the action concerns; HR see the entries
    of their subtrees.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("who (as recorded)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(pgettext_lazy("audit", "target type"), max_length=100, blank=True)
    target_id = models.CharField(pgettext_lazy("audit", "target id"), max_length=64, blank=True)
    target_repr = models.CharField(pgettext_lazy("audit", "target"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "lms.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: a stored entry is never rewritten.
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ReportJob(models.Model):
    """A report generated in the background.

    The row is written in the same transaction as the request and the task is enqueued on commit, so a
    job is never lost: if its message is, the sweeper (``reports.tasks.report_jobs_sweep``) sends it again.
    ``params_hash`` identifies (requester, kind, format, parameters) so a repeated request reuses a running
    or recent job.
    """

    kind = models.CharField(_("report"), max_length=64)
    fmt = models.CharField(_("format"), max_length=8)
    params = models.JSONField(_("parameters"), default=dict)
    params_hash = models.CharField(max_length=64, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    result = models.FileField(_("result"), upload_to=job_result_path, storage=private_reports_storage, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.kind}.{self.fmt} #{self.pk} ({self.status})"

    @property
    def title(self) -> str:
        """The report's name in the reader's language (its table's title), never the internal key."""
        from . import tables

        table = tables.get(self.kind)
        return str(table.title) if table is not None else self.kind

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED, JobStatus.EXPIRED}


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")


class EvaluationPeriod(models.Model):
    """An evaluation period (e.g. the calendar year 2026) for a unit and everything below it.

    While open, the evaluation is computed live. Closing freezes it: one ``EvaluationRecord`` per person,
    written once (version ``snapshot_version``) and never changed; reopening keeps the old snapshot and a
    later close writes a new version.
    """

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    unit = models.ForeignKey("lms.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    framework = models.ForeignKey(
        "assessments.Framework",
        verbose_name=_("framework"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    thresholds = models.JSONField(pgettext_lazy("evaluation rating", "band thresholds"), default=list)
    # A band is suggested only for records with at least this coverage (set from settings when the period opens).
    coverage_threshold = models.FloatField(_("coverage needed for a suggestion"), default=0.8)
    status = models.CharField(_("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    snapshot_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-starts_on", "unit__path"]
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        constraints = [
            models.UniqueConstraint(fields=["unit", "starts_on", "ends_on"], name="period_unique_unit_dates"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.unit.code}"

    @property
    def display_name(self) -> str:
        """The name in the reader's language: the English one on English pages, PDFs and exports, when given."""
        from django.utils.translation import get_language

        english = (get_language() or "vi").startswith("en")
        return self.name_en if english and self.name_en else self.name


class EvaluationComment(models.Model):
    """HR's comment on one person's evaluation, editable while the period is open; copied into the snapshot."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="comments")
    person = models.ForeignKey("lms.StaffProfile", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation comment")
        verbose_name_plural = _("evaluation comments")
        constraints = [models.UniqueConstraint(fields=["period", "person"], name="comment_unique_period_person")]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.person_id}"


class EvaluationRecordQuerySet(AuditEntryQuerySet):
    def current(self) -> EvaluationRecordQuerySet:
        from django.db.models import F

        return self.filter(version=F("period__snapshot_version"))


class EvaluationRecord(models.Model):
    """One person's frozen evaluation in a closed period. Immutable: nothing updates or deletes it."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.PROTECT, related_name="records")
    version = models.PositiveIntegerField()
    person = models.ForeignKey("lms.StaffProfile", null=True, on_delete=models.SET_NULL, related_name="+")
    employee_number = models.CharField(max_length=32)
    full_name = models.CharField(max_length=255)
    unit = models.ForeignKey("lms.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    unit_code = models.CharField(max_length=32)
    unit_name_vi = models.CharField(max_length=255)
    unit_name_en = models.CharField(max_length=255)
    position = models.CharField(max_length=120, blank=True)
    target_profile = models.CharField(max_length=255, blank=True)
    index = models.FloatField()
    band = models.CharField(max_length=16)
    competency_part = models.FloatField(null=True)  # None: no target competency had a current level
    training_part = models.FloatField(null=True)
    hours_part = models.FloatField()
    mandatory_total = models.PositiveIntegerField(default=0)
    mandatory_on_time = models.PositiveIntegerField(default=0)
    mandatory_late = models.PositiveIntegerField(default=0)
    training_hours = models.FloatField(default=0)
    competencies_met = models.PositiveIntegerField(default=0)
    competencies_required = models.PositiveIntegerField(default=0)
    levels = models.JSONField(default=list)
    # Share of the target competencies with a current level, and the codes of those without one.
    coverage = models.FloatField(null=True)
    unmeasured = models.JSONField(default=list)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvaluationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["period", "version", "unit_code", "full_name"]
        verbose_name = _("evaluation record")
        verbose_name_plural = _("evaluation records")
        constraints = [
            models.UniqueConstraint(fields=["period", "version", "person"], name="record_unique_version_person")
        ]
        indexes = [models.Index(fields=["period", "version", "unit"])]

    def __str__(self) -> str:
        return f"{self.period_id} v{self.version} {self.full_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Evaluation records are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Evaluation records are immutable.")


class UnitCompetencyMonth(models.Model):
    """Pre-aggregated monthly snapshot scores per unit (own staff) and competency, for the 24-month trend.

    Rebuilt from ``assessments.CompetencyScoreSnapshot`` by ``reports.services.rollups`` (nightly for the
    current and previous month, on demand for the rest); the trend reads it instead of millions of rows.
    """

    unit = models.ForeignKey("lms.Unit", on_delete=models.CASCADE, related_name="+")
    # the people's position as it is now, so the trend filtered by position reads the roll-up too
    position = models.CharField(max_length=120, blank=True, default="")
    competency = models.ForeignKey("assessments.Competency", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    people = models.PositiveIntegerField()
    score_sum = models.FloatField()
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "position", "competency", "month"], name="unitmonth_unique"),
        ]
        indexes = [models.Index(fields=["month", "competency"], name="unitmonth_month_comp")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.competency_id}/{self.month:%Y-%m}"


class UnitScoreCell(models.Model):
    """Current competency scores summed per unit (own staff), position, competency and level, for the dashboard.

    A row with no competency holds the unit's active headcount for the position, scored or not (the gaps
    chart counts people without a score as rank 0). Rebuilt as a whole by
    ``reports.services.rollups.score_cells_refresh`` every few minutes, so it is a consistent picture as of
    ``refreshed_at`` (the same on every row), which the dashboard shows next to the charts built from it.
    """

    unit = models.ForeignKey("lms.Unit", on_delete=models.CASCADE, related_name="+")
    position = models.CharField(max_length=120, blank=True)
    competency = models.ForeignKey(
        "assessments.Competency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    level = models.ForeignKey(
        "assessments.ProficiencyLevel", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    people = models.PositiveIntegerField()
    score_sum = models.FloatField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["competency", "unit"], name="scorecell_comp_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.position}/{self.competency_id}/{self.level_id}"


class UnitScoreMonthCell(models.Model):
    """``UnitScoreCell`` for a past year-end: the December snapshot of a year summed per unit (the people's
    unit now), position, competency and level, with the same headcount rows. The dashboard filtered by a
    past year reads it instead of that month's millions of snapshot rows. Rebuilt per month by
    ``reports.services.rollups.score_cells_refresh(month=...)`` (nightly with the monthly roll-up)."""

    month = models.DateField()
    unit = models.ForeignKey("lms.Unit", on_delete=models.CASCADE, related_name="+")
    position = models.CharField(max_length=120, blank=True)
    competency = models.ForeignKey(
        "assessments.Competency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    level = models.ForeignKey(
        "assessments.ProficiencyLevel", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    people = models.PositiveIntegerField()
    score_sum = models.FloatField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["month", "competency", "unit"], name="scoremonthcell_month_comp")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}/{self.unit_id}/{self.position}/{self.competency_id}/{self.level_id}"
