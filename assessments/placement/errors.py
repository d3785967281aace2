"""Refusals of the placement test. Messages are translatable and say what to do; nothing was written."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class PlacementError(Exception):
    """``status`` is the HTTP status an API would answer with."""

    status = 409

    def __init__(self, message, **params):
        self.message = message
        self.params = params
        super().__init__(str(message))

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class FormNotReady(PlacementError):
    status = 409


class NotServed(PlacementError):
    status = 409


class AlreadyAnswered(PlacementError):
    status = 409


class SessionFinished(PlacementError):
    status = 409


class RetakeTooSoon(PlacementError):
    status = 403


class InvalidAnswer(PlacementError):
    status = 400


class CalibrationRefused(PlacementError):
    status = 400


NOT_PUBLISHED = _("This diagnostic test is not published.")
TOO_FEW_ITEMS = _(
    "Area %(area)s has %(count)d diagnostic items; the test form needs at least %(needed)d per area before it can "
    "be published."
)
NO_AREAS = _("The framework of this test form has no competency areas.")
BAD_CUTS = _("Cut scores must rise with the level: %(detail)s")
NOT_SERVED = _("This question was not given to you (or not yet). The test continues with the current question.")
ALREADY_ANSWERED = _(
    "This question was already answered, perhaps in another tab. The test continues with the current question."
)
FINISHED = _("This diagnostic session has ended; your placement is on the result page.")
RETAKE_TOO_SOON = _("You can take the diagnostic again from %(when)s.")
EMPTY_ANSWER = _("Choose or type an answer before going on.")
CONSTANT_DATA = _(
    "Calibration needs varied answers: every recorded response is the same (all right or all wrong), so no item "
    "can be fitted. Nothing was changed."
)
NO_DATA = _("No item has at least %(min)d responses yet; nothing was changed.")


class CampaignInvalid(PlacementError):
    """Bad input for a campaign; ``errors`` maps a form field to its messages. Nothing was written."""

    status = 400

    def __init__(self, field_errors: dict[str, list[str]]):
        self.errors = field_errors
        super().__init__("; ".join(m for ms in field_errors.values() for m in ms))


CAMPAIGN_NO_TARGET = _("Choose at least one unit or position.")
CAMPAIGN_UNIT_OUT_OF_SCOPE = _("You are not responsible for %(unit)s in HR, so you cannot assign the diagnostic there.")
CAMPAIGN_MINISTRY_WIDE = _("Only administrators can assign the diagnostic by position across the whole ministry.")
CAMPAIGN_DUE_IN_PAST = _("The due date cannot be in the past.")
CAMPAIGN_FORM_NOT_PUBLISHED = _("Choose a published placement test.")
CAMPAIGN_NO_TITLE = _("Give the campaign a title.")
