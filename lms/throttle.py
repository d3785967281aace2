"""Failed sign-in throttling, per account and per client address.

Counters live in the cache (Redis in production) and expire on their own; a
successful sign-in clears the account's counter.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.strip().lower()}", f"login-fail:ip:{address}"]


def client_address(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies it is the entry that the
    outermost trusted proxy appended to X-Forwarded-For; entries further left are client-controlled."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def is_locked(username: str, address: str) -> bool:
    counts = cache.get_many(_keys(username, address))
    user_count = counts.get(_keys(username, address)[0], 0)
    ip_count = counts.get(_keys(username, address)[1], 0)
    # An address gets more room than an account: many officers share an embassy's NAT.
    return user_count >= settings.LOGIN_FAILURE_LIMIT or ip_count >= settings.LOGIN_FAILURE_LIMIT * 4


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        if not cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def clear(username: str) -> None:
    cache.delete(_keys(username, "")[0])


def failures(username: str) -> int:
    return cache.get(_keys(username, "")[0], 0)
