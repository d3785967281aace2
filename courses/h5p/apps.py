from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class H5PConfig(AppConfig):
    """H5P activities: safe import, playback, xAPI capture; a sub-app of courses with its own migrations."""

    name = "courses.h5p"
    label = "h5p"
    verbose_name = _("H5P activities")
