from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Organisation")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from . import search  # noqa: F401 (registers SQLite's accent-folding function on each connection)
        from .middleware import session_touched_at_login
        from .roles import sync_roles_after_migrate
        from .timezones import remember_at_login

        # Groups and their permissions follow the code after every migrate.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="hocso-sync-roles")
        # A new session counts as just touched: no second write on the first request after sign-in.
        user_logged_in.connect(session_touched_at_login, dispatch_uid="hocso-session-touched")
        # The person's time zone, read once at sign-in and kept in the session (lms.timezones).
        user_logged_in.connect(remember_at_login, dispatch_uid="hocso-time-zone")
        # Cached page routes (lms.routing) are dropped whenever the tree, a site or a view restriction changes.
        from .routing import connect_route_invalidation

        connect_route_invalidation()
