"""How repeated attempts of one activity combine into one result: shared by quizzes and H5P activities."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.scoring import grading


class GradingMethod(models.TextChoices):
    HIGHEST = grading.HIGHEST, _("Highest attempt")
    LAST = grading.LAST, _("Last attempt")
    AVERAGE = grading.AVERAGE, _("Average of attempts")
    FIRST = grading.FIRST, _("First attempt")
