"""Learner records: enrolments, lesson progress, completions, certificates, assignments, reminders.

Every record points at the original page of a course's translation group. Writes go through
``courses.services``; nothing here has behaviour in ``save()``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ASSIGNED = "assigned", _("Assigned")
    RENEWAL = "renewal", _("Certificate renewal")


class EnrolmentQuerySet(models.QuerySet):
    def open(self) -> EnrolmentQuerySet:
        return self.filter(status=EnrolmentStatus.ACTIVE)

    def for_person(self, person) -> EnrolmentQuerySet:
        return self.filter(person=person)


class Enrolment(models.Model):
    person = models.ForeignKey(
        "lms.StaffProfile", verbose_name=_("person"), on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    source = models.CharField(_("source"), max_length=20, choices=EnrolmentSource.choices)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    assignment = models.ForeignKey(
        "courses.CourseAssignment",
        verbose_name=_("assignment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("last lesson opened"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [
            # At most one open enrolment per person and course; a retake opens a new one after completion.
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=Q(status="active"),
                name="enrolment_one_open_per_person_course",
            )
        ]
        indexes = [models.Index(fields=["status", "due_date"]), models.Index(fields=["course", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.course_id} ({self.status})"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == EnrolmentStatus.ACTIVE and self.due_date is not None and self.due_date < today


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(_("first viewed at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="lessonprogress_unique")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.lesson_id}"


class CourseCompletion(models.Model):
    """Append-only: one row per time a person completed a course. Never updated or deleted by the app."""

    person = models.ForeignKey(
        "lms.StaffProfile", verbose_name=_("person"), on_delete=models.PROTECT, related_name="course_completions"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT, related_name="completions"
    )
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="completion")
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["person", "course"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.course} · {self.completed_at:%Y-%m-%d}"


class Certificate(models.Model):
    completion = models.OneToOneField(CourseCompletion, on_delete=models.PROTECT, related_name="certificate")
    person = models.ForeignKey("lms.StaffProfile", on_delete=models.PROTECT, related_name="certificates")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    # Snapshot: the certificate states the name the person had when it was issued.
    full_name = models.CharField(_("full name"), max_length=255)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    renewal_enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.SET_NULL, related_name="renews"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["expires_on"])]

    def __str__(self) -> str:
        return self.code

    def is_valid(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is None or self.expires_on >= today


class CourseAssignment(models.Model):
    """Assigned training: a course for everyone in some units (with their subtrees) and/or in some positions."""

    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="assignments"
    )
    units = models.ManyToManyField("lms.Unit", verbose_name=_("units"), blank=True, related_name="+")
    include_subunits = models.BooleanField(_("include the units below"), default=True)
    positions = models.JSONField(_("positions"), default=list, blank=True)
    due_date = models.DateField(_("due date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("assigned by")
    )
    created_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    is_active = models.BooleanField(pgettext_lazy("assignment", "active"), default=True)

    class Meta:
        verbose_name = _("course assignment")
        verbose_name_plural = _("course assignments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.course} · {self.due_date:%Y-%m-%d}"


class FanoutStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AssignmentRun(models.Model):
    """One fan-out of an assignment into enrolments, with progress counts for the status page."""

    assignment = models.ForeignKey(CourseAssignment, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=20, choices=FanoutStatus.choices, default=FanoutStatus.QUEUED)
    total = models.PositiveIntegerField(_("people concerned"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created = models.PositiveIntegerField(_("enrolments created"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.status} {self.processed}/{self.total}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class ReminderSent(models.Model):
    """The unique constraint is what makes each reminder go out once, even if two beat runs overlap."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "kind", "due_date"], name="remindersent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.kind} {self.due_date}"
