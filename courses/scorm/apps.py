from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Model permissions the Trainers role needs to import packages and place them (as for H5P activities);
# added to lms.roles at start-up so the shared role table need not change.
TRAINER_PERMISSIONS = [f"scorm.{action}_scormactivity" for action in ("add", "change", "view")]


class SCORMConfig(AppConfig):
    """SCORM 1.2 / 2004 packages: safe import, the scorm-again player, CMI data per learner."""

    name = "courses.scorm"
    label = "scorm"
    verbose_name = _("SCORM packages")

    def ready(self) -> None:
        from lms import roles

        wanted = roles.ROLE_PERMISSIONS[roles.TRAINERS]
        wanted.extend(p for p in TRAINER_PERMISSIONS if p not in wanted)

        from courses.completion import register_requirement_provider

        from .completion import scorm_requirements

        register_requirement_provider(scorm_requirements)

        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(_end_launches, dispatch_uid="scorm-launches-end")


def _end_launches(sender, request, user, **kwargs) -> None:
    from .services.runtime import scorm_launches_end

    session = getattr(request, "session", None)
    scorm_launches_end(user=user, session_key=getattr(session, "session_key", None))
