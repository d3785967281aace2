"""The client address used to throttle sign-ins (allauth's rate limits ask ``AccountAdapter.get_client_ip``).

The counting itself is allauth's (``ACCOUNT_RATE_LIMITS["login_failed"]``): each attempt is counted under a
cache lock *before* its password is checked, so simultaneous attempts cannot overrun the limit.
"""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies it is the entry that the
    outermost trusted proxy appended to X-Forwarded-For; entries further left are client-controlled."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
