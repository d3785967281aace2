"""API authentication: Wagtail's bearer tokens for integrations, the session (with CSRF) for the browser."""

from ninja.security import SessionAuth
from wagtail.api.v3.auth import BearerTokenAuth


class ActiveSession(SessionAuth):
    """Django session cookie; ninja checks the CSRF token on unsafe methods."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and user.is_active:
            return user
        return None


bearer = BearerTokenAuth()
session = ActiveSession()
