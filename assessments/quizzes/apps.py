from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Model permissions the Trainers role needs to author the question bank and manage quiz overrides;
# added to lms.roles at start-up so the shared role table need not change.
TRAINER_PERMISSIONS = [
    f"quizzes.{action}_{model}"
    for model in ("question", "questionpool", "quizoverride")
    for action in ("add", "change", "delete", "view")
]


class QuizzesConfig(AppConfig):
    """Question bank, quizzes and attempts: a sub-app of assessments with its own migrations."""

    name = "assessments.quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self) -> None:
        from lms import roles

        wanted = roles.ROLE_PERMISSIONS[roles.TRAINERS]
        wanted.extend(p for p in TRAINER_PERMISSIONS if p not in wanted)

        from courses.completion import register_requirement_provider

        from .completion import quiz_requirements

        register_requirement_provider(quiz_requirements)
