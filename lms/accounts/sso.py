"""Which ways in the sign-in page offers: single sign-on providers configured from the environment, the directory."""

from __future__ import annotations

from django.conf import settings


def sign_in_options(request) -> dict:
    providers = []
    for app in getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}).get("openid_connect", {}).get("APPS", []):
        from django.urls import reverse

        providers.append(
            {"name": app["name"], "url": reverse("openid_connect_login", kwargs={"provider_id": app["provider_id"]})}
        )
    return {"sso_providers": providers, "directory_enabled": bool(settings.LDAP_SERVER_URI)}
