"""Refusals of the quiz engine. Messages are translatable and say what to do; nothing was written."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class QuizError(Exception):
    """``status`` is the HTTP status the API answers with; ``field`` names the bad input, if any."""

    status = 409

    def __init__(self, message, *, field: str = "", **params):
        self.message = message
        self.params = params
        self.field = field
        super().__init__(str(message))

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class QuizClosed(QuizError):
    status = 403


class AttemptLimitReached(QuizError):
    status = 403


class DeadlinePassed(QuizError):
    status = 409


class AttemptFinished(QuizError):
    status = 409


class InvalidAnswer(QuizError):
    status = 400


class QuizEmpty(QuizError):
    status = 409


NOT_OPEN_YET = _("This quiz opens on %(when)s.")
CLOSED = _("This quiz closed on %(when)s; no more attempts can be started or submitted.")
NOT_LIVE = _("This quiz is not published.")
LIMIT = _("You have used all %(limit)d attempts allowed for this quiz.")
DEADLINE = _(
    "The time for this attempt ran out at %(when)s. It is graded with the answers saved by then; "
    "later answers are not accepted."
)
FINISHED = _("This attempt has already been submitted; its answers can no longer change.")
NOT_IN_ATTEMPT = _("Question %(id)s is not part of this attempt.")
BAD_ANSWER = _("Invalid answer for question %(id)s: %(reason)s.")
EMPTY = _("This quiz has no questions yet; ask the trainer to add some.")


# Why a response has the wrong shape, by ``assessments.scoring.grading.ResponseError.code``.
REASONS = {
    "number": _("a number is expected"),
    "not_a_number": _("“%(value)s” is not a number (use digits, with “,” or “.” for decimals)"),
    "choice": _("a choice is expected"),
    "unknown_choice": _("“%(value)s” is not one of this question's choices"),
    "choice_list": _("a list of choices is expected"),
    "duplicate": _("a choice is given more than once"),
    "boolean": _("true or false is expected"),
    "text": _("text is expected"),
    "too_long": _("the answer is longer than %(max)s characters"),
    "mapping": _("a match is expected for each item"),
    "order_list": _("the items are expected in your order"),
    "order_complete": _("every item must be placed exactly once"),
}


def reason_for(exc) -> str:
    message = REASONS.get(getattr(exc, "code", ""))
    if message is None:
        return str(exc)
    return str(message) % getattr(exc, "params", {}) if getattr(exc, "params", None) else str(message)
