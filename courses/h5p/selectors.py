"""Reads for H5P: which activities a person may play, attempts for the results page."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from lms.boundaries.params import digits

from .models import H5PActivity, H5PAttempt, H5PUserData


@dataclass(frozen=True)
class _LessonAccess:
    """What the ``courses.view_lesson`` rule asks about: the course and the learner's enrolment."""

    course: object
    enrolment: object | None


def lessons_using(activity: H5PActivity):
    """Live lessons whose body places ``activity`` (from Wagtail's reference index)."""
    from wagtail.models import ReferenceIndex

    from courses.models import LessonPage

    ids = ReferenceIndex.get_references_to(activity).values_list("object_id", flat=True)
    return LessonPage.objects.live().defer("body").filter(pk__in=[int(i) for i in ids if digits(str(i))])


def activity_playable(user, activity) -> bool:
    """Whether ``user`` may play ``activity``: it sits in a live lesson of a course they may take
    (enrolled, or the course is open). Trainers may always open it (preview). Cached for a minute
    per user and activity because every xAPI statement asks."""
    if not isinstance(activity, H5PActivity) or activity.pk is None:
        return False
    from lms import policy

    key = f"h5p:playable:{user.pk}:{activity.pk}"
    cached = cache.get(key)
    if cached is None:
        cached = policy.is_trainer(user) or _playable_uncached(user, activity)
        cache.set(key, cached, 60)
    return cached


def _playable_uncached(user, activity) -> bool:
    from courses.models import Enrolment
    from courses.selectors import course_of_lesson
    from lms import policy

    person = policy.profile_of(user)
    for lesson in lessons_using(activity):
        course = course_of_lesson(lesson)
        enrolment = Enrolment.objects.open().filter(person=person, course=course).first() if person else None
        if policy.can(user, "courses.view_lesson", _LessonAccess(course=course, enrolment=enrolment)):
            return True
    return False


def attempts_for_activity(activity: H5PActivity) -> QuerySet[H5PAttempt]:
    """Attempts with their person and unit (two joins, one query)."""
    return (
        H5PAttempt.objects.filter(activity=activity)
        .select_related("person", "person__unit")
        .order_by("person__full_name", "-started_at", "-id")
    )


def user_data_for(person, activity) -> dict[str, dict[str, str]]:
    """Resume state in H5P core's shape: ``{subContentId: {dataType: json_text}}``."""
    rows = H5PUserData.objects.filter(person=person, activity=activity).order_by("data_type", "sub_content_id")
    data: dict[str, dict[str, str]] = {}
    for row in rows:
        data.setdefault(row.sub_content_id, {})[row.data_type] = row.data
    return data
