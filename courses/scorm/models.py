from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from assessments.models import Band


def storage_root() -> Path:
    """Where unpacked packages live: outside MEDIA_ROOT's public URL, served only by the player views."""
    return Path(settings.SCORM_STORAGE_ROOT)


class SCORMVersion(models.TextChoices):
    V12 = "1.2", "SCORM 1.2"
    V2004_3 = "2004-3", "SCORM 2004 3rd Edition"
    V2004_4 = "2004-4", "SCORM 2004 4th Edition"


class SCORMPackage(models.Model):
    """An unpacked SCORM package, stored once per content hash in ``<storage_root>/<sha256>/``.

    ``items`` is the table of contents read from the manifest (``manifest.Item`` as dicts)."""

    sha256 = models.CharField(_("content hash (SHA-256)"), max_length=64, unique=True)
    version = models.CharField(_("SCORM version"), max_length=10, choices=SCORMVersion.choices)
    identifier = models.CharField(_("manifest identifier"), max_length=255, blank=True)
    title = models.CharField(_("title in the package"), max_length=255, blank=True)
    items = models.JSONField(_("table of contents"), default=list)
    size_bytes = models.BigIntegerField(_("archive size (bytes)"))
    file_count = models.PositiveIntegerField(_("files"))
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")

    def __str__(self) -> str:
        return f"{self.title or self.identifier} ({self.get_version_display()}, {self.sha256[:10]})"

    @property
    def directory(self) -> Path:
        return storage_root() / self.sha256

    @property
    def is_2004(self) -> bool:
        return self.version != SCORMVersion.V12

    @property
    def launchable_items(self) -> list[dict]:
        return [item for item in self.items if item.get("launch")]

    def item(self, identifier: str) -> dict | None:
        return next((i for i in self.items if i.get("identifier") == identifier and i.get("launch")), None)


class SCORMActivity(ClusterableModel):
    """A SCORM package trainers place in lessons, with the competencies it shows."""

    title = models.CharField(_("title"), max_length=255)
    package = models.ForeignKey(SCORMPackage, verbose_name=_("package"), on_delete=models.PROTECT, related_name="+")
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Used when the package reports a score but not whether the learner passed."),
    )
    band = models.CharField(
        _("band assessed"),
        max_length=16,
        choices=Band.choices,
        default=Band.BASIC,
        help_text=_("The proficiency band this activity can demonstrate."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SCORM activity")
        verbose_name_plural = _("SCORM activities")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class SCORMActivityCompetency(Orderable):
    activity = ParentalKey(SCORMActivity, on_delete=models.CASCADE, related_name="competency_links")
    competency = models.ForeignKey(
        "assessments.Competency", verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    weight = models.FloatField(
        _("weight"),
        default=1.0,
        validators=[MinValueValidator(0.01), MaxValueValidator(1.0)],
        help_text=_("How strongly this activity shows the competency, from 0.01 to 1."),
    )

    panels = [FieldPanel("competency"), FieldPanel("weight")]

    class Meta(Orderable.Meta):
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [models.UniqueConstraint(fields=["activity", "competency"], name="scorm_activity_competency_one")]

    def __str__(self) -> str:
        return f"{self.competency_id} ({self.weight})"


class SCORMAttempt(models.Model):
    """A learner's run through an activity: one per learner and activity, resumed across sessions.

    The rolled-up state over the package's SCOs: completed when every SCO is completed (or passed),
    passed/failed from the SCOs' success (or the pass mark on the mean scaled score). All of it
    comes from the browser: ``self-reported`` evidence, never server-graded."""

    person = models.ForeignKey("lms.StaffProfile", on_delete=models.CASCADE, related_name="scorm_attempts")
    activity = models.ForeignKey(SCORMActivity, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    score_scaled = models.FloatField(_("score (0–1, reported by the package)"), null=True, blank=True)
    total_seconds = models.FloatField(_("total time (s)"), default=0)
    # The launch whose window may save: a newer launch (another browser or device) takes over.
    launch_key = models.CharField(max_length=64, blank=True)
    evidence_recorded_at = models.DateTimeField(_("evidence recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "activity"], name="scorm_attempt_one_per_learner")]

    def __str__(self) -> str:
        return f"{self.person} · {self.activity}"

    @property
    def percent(self) -> float | None:
        return None if self.score_scaled is None else round(100 * max(0.0, self.score_scaled), 1)


class SCORMScoState(models.Model):
    """The CMI data of one SCO for one attempt, kept on the server so a closed tab resumes."""

    attempt = models.ForeignKey(SCORMAttempt, on_delete=models.CASCADE, related_name="sco_states")
    item_identifier = models.CharField(_("item"), max_length=200)
    location = models.CharField(_("location"), max_length=1000, blank=True)
    suspend_data = models.TextField(_("suspend data"), blank=True)
    completion_status = models.CharField(_("completion"), max_length=20, default="not attempted")
    success_status = models.CharField(_("success"), max_length=10, default="unknown")
    score_raw = models.FloatField(null=True, blank=True)
    score_min = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    progress_measure = models.FloatField(null=True, blank=True)
    exit = models.CharField(max_length=20, blank=True)
    session_seconds = models.FloatField(_("last session (s)"), default=0)
    # Total over finished sessions; the total time is that plus the current session.
    previous_seconds = models.FloatField(default=0)
    total_seconds = models.FloatField(_("total time (s)"), default=0)
    # The session (launch) the current session time belongs to, and its last commit's sequence.
    session_key = models.CharField(max_length=64, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    extra = models.JSONField(_("interactions and objectives"), default=dict, blank=True)
    commits = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SCORM SCO data")
        verbose_name_plural = _("SCORM SCO data")
        constraints = [models.UniqueConstraint(fields=["attempt", "item_identifier"], name="scorm_sco_state_unique")]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.item_identifier}: {self.completion_status}/{self.success_status}"
