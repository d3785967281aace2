"""Errors of the competency engine. Messages are translatable and say what to change."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class EvidenceError(ValueError):
    """Evidence was refused; nothing was written.

    ``field`` names the offending input (``"items[2].weight"``, ``"person"``...) so forms and
    API callers can point at it; ``str(error)`` is the translated message.
    """

    def __init__(self, message, *, field: str = "", code: str = "invalid"):
        self.message = message
        self.field = field
        self.code = code
        super().__init__(str(message))

    def __str__(self) -> str:
        return str(self.message)


NO_ITEMS = _("Give at least one competency result.")
UNKNOWN_COMPETENCY = _("Unknown competency %(ref)s: choose a competency of a framework loaded in HocSo.")
UNKNOWN_COMPETENCY_CODE = _("Unknown competency code “%(code)s” in framework %(framework)s.")
UNKNOWN_FRAMEWORK = _("Unknown competency framework “%(code)s”.")
BAD_SCORE = _("Score %(value)s is outside 0–1: normalise it (e.g. 7 of 10 points → 0.7).")
BAD_WEIGHT = _("Weight %(value)s is outside (0, 1]: use a number greater than 0 and at most 1.")
INACTIVE_PERSON = _("%(person)s is not an active staff member: evidence can only be recorded for active staff.")
BAD_SOURCE = _("Unknown evidence source “%(value)s”: use quiz, h5p or manual.")
NO_SOURCE_REF = _("Say where the evidence comes from (source reference, e.g. “quiz-attempt:42”).")
SOURCE_REF_TOO_LONG = _("The source reference is longer than 120 characters.")
DUPLICATE_SOURCE_REF = _("The same source reference is given twice in one batch.")
FUTURE_DATE = _("The evidence date is in the future: give the moment the result was obtained.")
UNKNOWN_BAND = _("Unknown band “%(band)s”: use basic, intermediate, advanced or specialised.")
BAND_NOT_IN_FRAMEWORK = _("The competency's framework has no level in the band “%(band)s”: choose one of its bands.")
UNKNOWN_LEVEL = _("Level %(level)s is not a level of the competency's framework.")
LEVEL_OUTSIDE_BAND = _("The level observed is not in the band “%(band)s”.")
UNKNOWN_SOURCE_REF = _(
    "“%(ref)s” is not a source HocSo can open: use a quiz attempt (quiz-attempt:<id>), an H5P activity "
    "(h5p-activity:<id>) or a manual assessment (manual-assessment:<id>)."
)
SOURCE_REF_OF_OTHER_SOURCE = _("“%(ref)s” is not a source of kind “%(source)s”.")
SOURCE_NOT_FOUND = _("The source “%(ref)s” does not exist or is not this person's: evidence must point at its source.")
LEVEL_OF_OTHER_FRAMEWORK = _("Level %(level)s belongs to another framework than the competency %(competency)s.")
LEVEL_ABOVE_PERMISSION = _(
    "You may certify levels up to %(allowed)s in %(framework)s; level %(level)s needs an assessor with a higher "
    "permission."
)
NO_LEVEL_PERMISSION = _(
    "You have no permission to certify levels in %(framework)s: record the result without a level, or ask an "
    "administrator for an assessor permission."
)
NOT_ALLOWED_TO_ASSESS = _("You may not record an assessment of this person.")
