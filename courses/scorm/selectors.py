"""Reads for SCORM: which activities a person may play, lessons placing them, attempts for results."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from lms.boundaries.params import digits

from .models import SCORMActivity, SCORMAttempt, SCORMScoState


@dataclass(frozen=True)
class _LessonAccess:
    """What the ``courses.view_lesson`` rule asks about: the course and the learner's enrolment."""

    course: object
    enrolment: object | None


def lessons_using(activity: SCORMActivity):
    """Live lessons whose body places ``activity`` (from Wagtail's reference index)."""
    from wagtail.models import ReferenceIndex

    from courses.models import LessonPage

    ids = ReferenceIndex.get_references_to(activity).values_list("object_id", flat=True)
    return LessonPage.objects.live().defer("body").filter(pk__in=[int(i) for i in ids if digits(str(i))])


def activity_playable(user, activity) -> bool:
    """Whether ``user`` may play ``activity``: it sits in a live lesson of a course they may take
    (enrolled, or the course is open). Trainers may always open it (preview). Cached for a minute
    per user and activity because every commit asks."""
    if not isinstance(activity, SCORMActivity) or activity.pk is None:
        return False
    from lms import policy

    key = f"scorm:playable:{user.pk}:{activity.pk}"
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


def attempt_for(person, activity) -> SCORMAttempt | None:
    if person is None:
        return None
    return SCORMAttempt.objects.filter(person=person, activity=activity).first()


def sco_states_for(attempt: SCORMAttempt | None) -> dict[str, SCORMScoState]:
    if attempt is None:
        return {}
    return {state.item_identifier: state for state in SCORMScoState.objects.filter(attempt=attempt)}


def attempts_for_activity(activity: SCORMActivity) -> QuerySet[SCORMAttempt]:
    """Attempts with their person and unit (two joins, one query)."""
    return (
        SCORMAttempt.objects.filter(activity=activity)
        .select_related("person", "person__unit")
        .order_by("person__full_name", "-updated_at", "-id")
    )
