"""Whose clock a time is shown on: the reader's own time zone.

A person's zone is the one they chose in their settings, else their unit's (an embassy abroad works on
local time: Europe/Paris, America/New_York...), else the ministry's (``TIME_ZONE``, Asia/Ho_Chi_Minh).
``TimeZoneMiddleware`` (lms.middleware) activates it for each request, so every page, PDF and export
made in that request, and the quiz clock, read the same zone. It is kept in the session when the person
signs in, so a page costs no query for it.
"""

from __future__ import annotations

import functools
import zoneinfo

from django.conf import settings

SESSION_KEY = "_hocso_tz"


@functools.cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_known_zone(name: str) -> bool:
    return name in known_zones()


def zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone, by region then city, for a select box ("Europe/Paris" → "Europe / Paris")."""
    names = sorted(z for z in known_zones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/")))
    return [(name, name.replace("/", " / ").replace("_", " ")) for name in names]


def zone_name_for(profile) -> str:
    """The name of the zone a person reads times in (their choice, their unit's, the ministry's)."""
    if profile is not None:
        if profile.time_zone:
            return profile.time_zone
        unit = getattr(profile, "unit", None)
        if unit is not None and unit.time_zone:
            return unit.time_zone
    return settings.TIME_ZONE


def zone_name_for_user(user) -> str:
    from .models import StaffProfile

    if user is None or not getattr(user, "is_authenticated", False):
        return settings.TIME_ZONE
    profile = StaffProfile.objects.filter(user=user).select_related("unit").first()
    return zone_name_for(profile)


def remember(request, name: str) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY) != name:
        session[SESSION_KEY] = name


def remember_at_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the session learns the person's zone once."""
    if request is not None:
        remember(request, zone_name_for_user(user))
