from __future__ import annotations

import logging

import requests
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404
from django.shortcuts import render

logger = logging.getLogger(__name__)

ID_TOKEN_SESSION_KEY = "hocso_oidc_id_token"  # noqa: S105 - a session key name, not a secret


class MinistryOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token: str) -> dict:
        """Signature (against the provider's published keys), issuer, audience and expiry, always."""
        data = jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )
        # Kept for the sign-out: the provider's session ends too (RP-initiated logout, id_token_hint).
        self.request.session[ID_TOKEN_SESSION_KEY] = id_token
        return data


def provider_unavailable(request, status=503):
    return render(request, "socialaccount/provider_unavailable.html", status=status)


@login_not_required
def login(request, provider_id):
    """Start single sign-on; a provider that is down or slow gets a clear page, not an error."""
    try:
        view = OAuth2LoginView.adapter_view(MinistryOAuth2Adapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
    except requests.RequestException:
        logger.warning("OpenID provider %s unreachable at sign-in", provider_id, exc_info=True)
        return provider_unavailable(request)


@login_not_required
def callback(request, provider_id):
    try:
        view = OAuth2CallbackView.adapter_view(MinistryOAuth2Adapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
    except requests.RequestException:
        logger.warning("OpenID provider %s unreachable at the callback", provider_id, exc_info=True)
        return provider_unavailable(request)


def provider_logout_url(request) -> str | None:
    """Where to send someone signing out after a single sign-on, so the provider's session ends too
    (OpenID Connect RP-initiated logout), or None when there is nothing to end or the provider cannot say."""
    from allauth.utils import build_absolute_uri
    from django.urls import reverse
    from django.utils.http import urlencode

    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not id_token:
        return None
    try:
        adapter = MinistryOAuth2Adapter(request, "ministry")
        endpoint = adapter.openid_config.get("end_session_endpoint")
        client_id = adapter.get_provider().app.client_id
    except (requests.RequestException, SocialApp.DoesNotExist, ValueError):
        logger.warning("OpenID provider unreachable at sign-out; only the HocSo session ends", exc_info=True)
        return None
    if not endpoint:
        return None
    query = {
        "id_token_hint": id_token,
        "client_id": client_id,
        "post_logout_redirect_uri": build_absolute_uri(request, reverse("login")),
    }
    return f"{endpoint}?{urlencode(query)}"
