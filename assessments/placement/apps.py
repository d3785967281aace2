from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    """The adaptive diagnostic placement: item parameters, test forms, sessions. A sub-app of assessments."""

    name = "assessments.placement"
    label = "placement"
    verbose_name = _("Diagnostic placement")
