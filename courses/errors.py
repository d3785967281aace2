from django.utils.translation import gettext_lazy as _


class CourseError(ValueError):
    """A refused learning operation; ``str()`` is a message the person can act on."""


MSG_NOT_A_LEARNER = _("Only staff with an active profile can enrol in courses.")
MSG_COURSE_NOT_LIVE = _("This course is not published.")
MSG_NOT_ENROLLED = _("Enrol in this course to open its lessons.")
MSG_PREREQUISITE = _("Complete the course “%(title)s” first.")
MSG_PREVIOUS_LESSON = _("Complete the lesson “%(title)s” first.")
MSG_NO_TARGET = _("Choose at least one unit or one position.")
MSG_UNIT_OUT_OF_SCOPE = _("You may not assign training to the unit “%(unit)s”.")
MSG_DUE_IN_PAST = _("The due date must be today or later.")
MSG_NOT_ALLOWED_TO_ASSIGN = _("You may not assign training.")
MSG_LESSON_NOT_LIVE = _("This lesson is not part of a published course.")
