"""Resume state (H5P "user data"), saved per learner and activity."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import H5PError
from ..models import H5PUserData

MAX_STATE_BYTES = 64 * 1024
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,60}$")


@transaction.atomic
def h5p_user_data_save(*, person, activity, data_type: str, sub_content_id: str, data) -> H5PUserData | None:
    """Store (or, with ``data`` None/empty, delete) one piece of resume state; returns the row when one
    was created (None when an existing row was updated or deleted)."""
    if person is None:
        raise H5PError(_("Only learners have resume state."))
    data_type, sub_content_id = str(data_type or ""), str(sub_content_id if sub_content_id is not None else "0")
    if not NAME_RE.match(data_type) or not NAME_RE.match(sub_content_id):
        raise H5PError(_("dataType and subContentId must be short names (letters, digits, - and _)."))
    if data in (None, "", "RESET"):
        H5PUserData.objects.filter(
            person=person, activity=activity, data_type=data_type, sub_content_id=sub_content_id
        ).delete()
        return None
    if not isinstance(data, str):
        raise H5PError(_("data must be a string (H5P sends JSON text)."))
    if len(data.encode("utf-8")) > MAX_STATE_BYTES:
        raise H5PError(_("The resume state is larger than %(limit)d KB.") % {"limit": MAX_STATE_BYTES // 1024})
    mine = H5PUserData.objects.filter(person=person, activity=activity)
    if mine.filter(data_type=data_type, sub_content_id=sub_content_id).update(data=data, updated_at=timezone.now()):
        return None
    if mine.count() >= settings.H5P_MAX_STATE_ROWS:
        raise H5PError(
            _("This activity already keeps %(limit)d pieces of resume state for you; reset it to save more.")
            % {"limit": settings.H5P_MAX_STATE_ROWS}
        )
    return H5PUserData.objects.create(
        person=person, activity=activity, data_type=data_type, sub_content_id=sub_content_id, data=data
    )
