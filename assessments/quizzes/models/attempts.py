"""Attempts: what a learner was given (the draw, pinned to question versions), answered and scored."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("quiz attempt", "In progress")
    SUBMITTED = "submitted", _("Submitted")


class AttemptQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=AttemptStatus.SUBMITTED)

    def in_progress(self):
        return self.filter(status=AttemptStatus.IN_PROGRESS)


class Attempt(models.Model):
    quiz = models.ForeignKey("quizzes.QuizPage", on_delete=models.CASCADE, related_name="attempts")
    person = models.ForeignKey("lms.StaffProfile", on_delete=models.CASCADE, related_name="quiz_attempts")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False, help_text="Graded by the server at the deadline.")
    points = models.FloatField(null=True, blank=True)
    max_points = models.FloatField(null=True, blank=True)
    percent = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    regraded_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["quiz_id", "person_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "person", "number"], name="attempt_unique_number"),
            models.UniqueConstraint(
                fields=["quiz", "person"], condition=Q(status="in_progress"), name="attempt_one_in_progress"
            ),
        ]
        indexes = [
            models.Index(fields=["quiz", "status"]),
            models.Index(fields=["status", "deadline"]),
        ]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")

    def __str__(self) -> str:
        return f"attempt {self.pk} ({self.person_id} on {self.quiz_id} #{self.number})"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    @property
    def source_ref(self) -> str:
        return f"quiz-attempt:{self.pk}"


class AttemptQuestion(models.Model):
    """One question in one attempt: the version shown, the display order, the saved response and its grade."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey("quizzes.Question", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey("quizzes.QuestionVersion", on_delete=models.PROTECT, related_name="attempt_items")
    choice_order = models.JSONField(default=list, blank=True)
    target_order = models.JSONField(default=list, blank=True)
    response = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)
    max_points = models.FloatField()
    graded_version = models.ForeignKey(
        "quizzes.QuestionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attemptquestion_unique_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="attemptquestion_unique_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"
