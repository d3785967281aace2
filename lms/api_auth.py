"""API authentication: Wagtail's bearer tokens for integrations, the session (with CSRF) for the browser."""

from ninja.errors import HttpError
from ninja.security import SessionAuth
from wagtail.api.v3.auth import BearerTokenAuth

from .accounts.middleware import MSG_ENROL
from .accounts.second_factor import second_factor_missing


class ActiveSession(SessionAuth):
    """Django session cookie; ninja checks the CSRF token on unsafe methods. (A session that still lacks a
    required second factor never gets here: ``SecondFactorRequiredMiddleware`` answers 403 first.)"""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and user.is_active:
            return user
        return None


class Bearer(BearerTokenAuth):
    """Wagtail's token check (revoked tokens and inactive users refused), plus: HR and administrators'
    tokens stop working while their owner has no second factor."""

    def authenticate(self, request, token: str):
        api_token = super().authenticate(request, token)
        if api_token is not None and second_factor_missing(api_token.user):
            raise HttpError(403, str(MSG_ENROL))
        return api_token


bearer = Bearer()
session = ActiveSession()
