"""Evidence (append-only), current scores and monthly snapshots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .frameworks import Band, Competency, ProficiencyLevel


class EvidenceSource(models.TextChoices):
    QUIZ = "quiz", _("Quiz attempt")
    H5P = "h5p", _("H5P activity")
    SCORM = "scorm", _("SCORM package")
    MANUAL = "manual", _("Manual assessment by a trainer")
    DIAGNOSTIC = "diagnostic", _("Diagnostic placement")
    XAPI = "xapi", _("xAPI statement from another tool")


class EvidenceQuerySet(models.QuerySet):
    def live(self) -> EvidenceQuerySet:
        """Evidence that counts: not superseded by a correction or regrade."""
        return self.filter(superseded_at__isnull=True)


class Evidence(models.Model):
    """One observation of a person's competency, normalised to 0..1.

    Append-only: rows are only ever inserted. A correction or regrade inserts new rows and
    stamps the old ones ``superseded_at``/``superseded_by`` (the one update the services make),
    so the full history stays readable and every score can be explained.
    """

    person = models.ForeignKey("lms.StaffProfile", on_delete=models.PROTECT, related_name="competency_evidence")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="evidence")
    score = models.FloatField(_("score"))
    weight = models.FloatField(_("weight"), default=1.0)
    source = models.CharField(_("source"), max_length=16, choices=EvidenceSource.choices)
    source_ref = models.CharField(_("source reference"), max_length=120, db_index=True)
    self_reported = models.BooleanField(_("self-reported"), default=False)
    # The band the source assessed (a question's, quiz's, activity's band; the band a placement measured).
    band = models.CharField(_("band"), max_length=16, choices=Band.choices, default=Band.BASIC)
    # A manual assessment names the exact level observed; the evidence then supports at most that level.
    observed_level = models.ForeignKey(
        ProficiencyLevel,
        verbose_name=_("level observed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", verbose_name=_("superseded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [
            models.Index(fields=["person", "competency"], name="evidence_person_comp"),
            models.Index(fields=["person", "source_ref"], name="evidence_person_ref"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="evidence_score_in_unit_range"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=1), name="evidence_weight_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.competency_id} · {self.score:.2f} ({self.source_ref})"

    @property
    def is_live(self) -> bool:
        return self.superseded_at is None


class CompetencyScore(models.Model):
    """Current score of one person in one competency, kept in step with the evidence.

    ``score`` is the recency-weighted mean (None only when there is no live evidence, in which
    case the row is removed); ``level`` is None while there is not enough evidence.
    ``confidence`` and ``effective_weight`` are as of ``computed_at``.
    """

    person = models.ForeignKey("lms.StaffProfile", on_delete=models.CASCADE, related_name="competency_scores")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="scores")
    score = models.FloatField(_("score"))
    level = models.ForeignKey(
        ProficiencyLevel, verbose_name=_("level"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_count = models.PositiveIntegerField(_("evidence count"), default=0)
    effective_weight = models.FloatField(_("effective weight"), default=0)
    confidence = models.FloatField(_("confidence"), default=0)
    last_evidence_at = models.DateTimeField(_("latest evidence"), null=True, blank=True)
    # ``level`` is the highest *current* level. A higher level reached on evidence older than the framework's
    # validity is ``due_level`` (reassessment due); ``level_evidence_at`` is the newest evidence supporting
    # the highest level reached (``due_level`` when set, else ``level``).
    level_evidence_at = models.DateTimeField(_("level last demonstrated"), null=True, blank=True)
    due_level = models.ForeignKey(
        ProficiencyLevel,
        verbose_name=_("level due for reassessment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["person", "competency"]
        verbose_name = _("competency score")
        verbose_name_plural = _("competency scores")
        constraints = [models.UniqueConstraint(fields=["person", "competency"], name="score_unique_person_comp")]
        indexes = [models.Index(fields=["competency", "level"], name="score_comp_level")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.competency_id} · {self.score:.2f}"


class CompetencyScoreSnapshot(models.Model):
    """The score of one person in one competency at the end of a month (``month`` is the 1st)."""

    person = models.ForeignKey("lms.StaffProfile", on_delete=models.CASCADE, related_name="competency_snapshots")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="snapshots")
    month = models.DateField(_("month"))
    score = models.FloatField(_("score"))
    level = models.ForeignKey(
        ProficiencyLevel, verbose_name=_("level"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_count = models.PositiveIntegerField(_("evidence count"), default=0)
    confidence = models.FloatField(_("confidence"), default=0)
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        ordering = ["person", "competency", "month"]
        verbose_name = _("competency score snapshot")
        verbose_name_plural = _("competency score snapshots")
        constraints = [
            models.UniqueConstraint(fields=["person", "competency", "month"], name="snapshot_unique_month"),
        ]
        indexes = [models.Index(fields=["month", "competency"], name="snapshot_month_comp")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.competency_id} · {self.month:%Y-%m} · {self.score:.2f}"
