from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    """The statement store and learning record store: a sub-app of assessments with its own migrations."""

    name = "assessments.xapi"
    label = "xapi"
    verbose_name = _("xAPI learning record store")
