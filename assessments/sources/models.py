"""Manual assessments (a trainer's observation of practice) and who may certify which levels."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ManualAssessment(models.Model):
    """What an assessor observed an officer do, at a level of the framework. Written once, through
    ``services.manual_assessment_record`` (which records its evidence and its audit entry in the same
    transaction); never edited: a correction is a new assessment."""

    person = models.ForeignKey(
        "lms.StaffProfile", verbose_name=_("officer"), on_delete=models.PROTECT, related_name="manual_assessments"
    )
    competency = models.ForeignKey(
        "assessments.Competency", verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "assessments.ProficiencyLevel",
        verbose_name=_("level observed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.FloatField(_("result"))
    observed_at = models.DateTimeField(_("observed on"))
    note = models.TextField(_("what was observed"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessor_name = models.CharField(_("assessor"), max_length=150)
    audit_entry = models.ForeignKey(
        "reports.AuditEntry", verbose_name=_("audit entry"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("manual assessment")
        verbose_name_plural = _("manual assessments")
        ordering = ["-observed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="manual_assessment_score_range")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.competency_id} · {self.score:.2f} ({self.assessor_name})"

    @property
    def source_ref(self) -> str:
        return f"manual-assessment:{self.pk}"


class AssessorGrant(models.Model):
    """The highest level of a framework an assessor may certify in a manual assessment. Trainers without a
    grant record results without a level; administrators may certify any level."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), on_delete=models.CASCADE, related_name="assessor_grants"
    )
    framework = models.ForeignKey(
        "assessments.Framework", verbose_name=_("framework"), on_delete=models.CASCADE, related_name="+"
    )
    max_level = models.ForeignKey(
        "assessments.ProficiencyLevel",
        verbose_name=_("highest level they may certify"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assessor permission")
        verbose_name_plural = _("assessor permissions")
        constraints = [models.UniqueConstraint(fields=["user", "framework"], name="assessor_grant_one_per_framework")]

    def __str__(self) -> str:
        return f"{self.user} · {self.framework_id} ≤ {self.max_level_id}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.framework_id and self.max_level_id and self.max_level.framework_id != self.framework_id:
            raise ValidationError({"max_level": _("Choose a level of the framework above.")})
