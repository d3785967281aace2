"""A person's own preferences: the language they read and the time zone they read times in."""

from __future__ import annotations

from django.db import transaction

from .. import errors
from ..models import Language, StaffProfile
from ..timezones import is_known_zone


@transaction.atomic
def profile_preferences_update(*, profile: StaffProfile, language: str, time_zone: str) -> StaffProfile:
    """Save the language and time zone (empty: the unit's). Refuses (nothing written) an unknown value."""
    problems: dict[str, str] = {}
    if language not in Language.values:
        problems["language"] = str(errors.MSG_UNKNOWN_LANGUAGE)
    if time_zone and not is_known_zone(time_zone):
        problems["time_zone"] = str(errors.MSG_BAD_TIME_ZONE % {"value": time_zone})
    if problems:
        raise errors.PreferencesError(problems)
    StaffProfile.objects.filter(pk=profile.pk).update(language=language, time_zone=time_zone)
    profile.language, profile.time_zone = language, time_zone
    return profile
