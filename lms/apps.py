from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Organisation")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import sync_roles_after_migrate

        # Groups and their permissions follow the code after every migrate.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="hocso-sync-roles")
