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
from assessments.models.grading import GradingMethod


def storage_root() -> Path:
    """Where unpacked packages live: outside MEDIA_ROOT's public URL, served only by our views."""
    return Path(settings.H5P_STORAGE_ROOT)


class H5PPackage(models.Model):
    """An unpacked ``.h5p`` archive, stored once per content hash in ``<storage_root>/<sha256>/``."""

    sha256 = models.CharField(_("content hash (SHA-256)"), max_length=64, unique=True)
    title = models.CharField(_("title in the package"), max_length=255, blank=True)
    main_library = models.CharField(_("main library"), max_length=100)
    main_library_version = models.CharField(_("main library version"), max_length=20)
    metadata = models.JSONField(_("h5p.json"), default=dict)
    content = models.JSONField(_("content.json"), default=dict)
    size_bytes = models.BigIntegerField(_("archive size (bytes)"))
    file_count = models.PositiveIntegerField(_("files"))
    max_score = models.PositiveIntegerField(_("maximum score (computed)"), null=True, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("H5P package")
        verbose_name_plural = _("H5P packages")

    def __str__(self) -> str:
        return f"{self.title or self.main_library} ({self.sha256[:10]})"

    @property
    def directory(self) -> Path:
        return storage_root() / self.sha256


class H5PLibrary(models.Model):
    """A library available to content-only packages: the first package that bundled it provides it."""

    machine_name = models.CharField(max_length=100)
    major = models.PositiveIntegerField()
    minor = models.PositiveIntegerField()
    patch = models.PositiveIntegerField(default=0)
    package = models.ForeignKey(H5PPackage, on_delete=models.CASCADE, related_name="provided_libraries")

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        constraints = [
            models.UniqueConstraint(fields=["machine_name", "major", "minor"], name="h5p_library_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}.{self.patch}"

    @property
    def directory_name(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"


class H5PActivity(ClusterableModel):
    """An H5P activity trainers place in lessons: a package, a pass mark and the competencies it shows."""

    title = models.CharField(_("title"), max_length=255)
    package = models.ForeignKey(H5PPackage, verbose_name=_("package"), on_delete=models.PROTECT, related_name="+")
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of the maximum score needed to pass, in percent."),
    )
    band = models.CharField(
        _("band assessed"),
        max_length=16,
        choices=Band.choices,
        default=Band.BASIC,
        help_text=_("The proficiency band this activity can demonstrate."),
    )
    grading_method = models.CharField(
        _("score across attempts"),
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
        help_text=_(
            "Repeated attempts count as one result for each competency, combined this way: "
            "a reload or a second try never adds weight."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def main_library(self) -> str:
        return self.package.main_library


class H5PActivityCompetency(Orderable):
    activity = ParentalKey(H5PActivity, on_delete=models.CASCADE, related_name="competency_links")
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
        constraints = [models.UniqueConstraint(fields=["activity", "competency"], name="h5p_activity_competency_one")]

    def __str__(self) -> str:
        return f"{self.competency_id} ({self.weight})"


class Grading(models.TextChoices):
    NONE = "", _("not scored yet")
    SERVER = "server", _("graded by the server")
    SELF = "self", _("self-reported by the content")


class H5PAttempt(models.Model):
    person = models.ForeignKey("lms.StaffProfile", on_delete=models.CASCADE, related_name="h5p_attempts")
    activity = models.ForeignKey(H5PActivity, on_delete=models.CASCADE, related_name="attempts")
    # When the first statement of the attempt was received (not when it was written: the queued
    # intake writes statements in batches shortly after).
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    score_raw = models.FloatField(_("score"), null=True, blank=True)
    score_max = models.FloatField(_("maximum"), null=True, blank=True)
    claimed_raw = models.FloatField(_("score claimed by the content"), null=True, blank=True)
    claimed_max = models.FloatField(_("maximum claimed by the content"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    grading = models.CharField(_("grading"), max_length=10, choices=Grading.choices, default=Grading.NONE, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    # Counted from the stored statements when the attempt finishes (not per statement).
    interactions = models.PositiveIntegerField(_("interactions"), default=0)
    statements = models.PositiveIntegerField(_("statements"), default=0)
    # Set once the finished attempt's competency evidence is recorded (by a task, after the statement commits).
    evidence_recorded_at = models.DateTimeField(_("evidence recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("H5P attempt")
        verbose_name_plural = _("H5P attempts")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["person", "activity", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.activity} · {self.score_raw}/{self.score_max}"

    @property
    def percent(self) -> float | None:
        if self.score_raw is None or not self.score_max:
            return None
        return round(100 * self.score_raw / self.score_max, 1)


class H5PStatement(models.Model):
    """What H5P keeps about a statement of the store (``xapi.Statement``): whose, which activity and
    attempt, and how it counts. The statement itself (its id and JSON) lives in the store only."""

    statement = models.OneToOneField("xapi.Statement", on_delete=models.CASCADE, related_name="h5p")
    person = models.ForeignKey("lms.StaffProfile", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(H5PActivity, on_delete=models.CASCADE, related_name="statements")
    attempt = models.ForeignKey(H5PAttempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verb = models.CharField(max_length=255)
    top_level = models.BooleanField()
    sub_content_id = models.CharField(max_length=64, blank=True)
    stored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("H5P statement")
        verbose_name_plural = _("H5P statements")

    def __str__(self) -> str:
        return f"{self.statement_id} {self.verb}"


class H5PItemResponse(models.Model):
    """A child ``answered`` statement: one question inside a compound activity."""

    attempt = models.ForeignKey(H5PAttempt, on_delete=models.CASCADE, related_name="item_responses")
    statement = models.ForeignKey(H5PStatement, on_delete=models.CASCADE, related_name="+")
    sub_content_id = models.CharField(max_length=64)
    interaction_type = models.CharField(max_length=40, blank=True)
    response = models.TextField(blank=True)
    claimed_raw = models.FloatField(null=True, blank=True)
    claimed_max = models.FloatField(null=True, blank=True)
    server_raw = models.FloatField(null=True, blank=True)
    server_max = models.FloatField(null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)  # when the answer was received

    class Meta:
        verbose_name = _("H5P item response")
        verbose_name_plural = _("H5P item responses")
        constraints = [models.UniqueConstraint(fields=["attempt", "sub_content_id"], name="h5p_item_response_unique")]

    def __str__(self) -> str:
        return f"{self.sub_content_id}: {self.response}"


class H5PUserData(models.Model):
    """H5P resume state, per learner and activity."""

    person = models.ForeignKey("lms.StaffProfile", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(H5PActivity, on_delete=models.CASCADE, related_name="+")
    data_type = models.CharField(max_length=60, default="state")
    sub_content_id = models.CharField(max_length=64, default="0")
    data = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("H5P resume state")
        verbose_name_plural = _("H5P resume states")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "activity", "data_type", "sub_content_id"], name="h5p_user_data_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.activity} · {self.data_type}"
