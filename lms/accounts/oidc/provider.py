from __future__ import annotations

import secrets

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider

from .views import MinistryOAuth2Adapter

NONCE_STATE_KEY = "nonce"


class MinistryProvider(OpenIDConnectProvider):
    """Keeps allauth's id (``openid_connect``) and settings; its URLs come from this package (``urls``)."""

    oauth2_adapter_class = MinistryOAuth2Adapter
    pkce_enabled_default = True

    def get_auth_params_from_request(self, request, action):
        params = super().get_auth_params_from_request(request, action)
        self._nonce = params["nonce"] = secrets.token_urlsafe(24)
        return params

    def stash_redirect_state(self, request, process, next_url=None, data=None, state_id=None, **kwargs):
        # The nonce travels with allauth's state (kept in the session), to be compared with the ID token's.
        nonce = getattr(self, "_nonce", None)
        if nonce:
            kwargs[NONCE_STATE_KEY] = nonce
        return super().stash_redirect_state(request, process, next_url, data, state_id=state_id, **kwargs)
