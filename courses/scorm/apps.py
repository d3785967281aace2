from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SCORMConfig(AppConfig):
    """SCORM 1.2 / 2004 packages: safe import, the scorm-again player, CMI data per learner."""

    name = "courses.scorm"
    label = "scorm"
    verbose_name = _("SCORM packages")

    def ready(self) -> None:
        from courses.completion import register_requirement_provider

        from .completion import scorm_requirements

        register_requirement_provider(scorm_requirements)
