from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    """Question bank, quizzes and attempts: a sub-app of assessments with its own migrations."""

    name = "assessments.quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")
