"""Lesson progress and course completion."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .. import completion as completion_registry
from .. import errors
from ..errors import CourseError
from ..models import (
    CourseCompletion,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
)
from ..selectors import canonical_page, course_of_lesson, course_outline, page_language
from .enrolment import enrolment_create


def _course_of(lesson: LessonPage) -> CoursePage:
    return course_of_lesson(canonical_page(lesson))


@transaction.atomic
def lesson_viewed(*, person, lesson: LessonPage) -> LessonProgress | None:
    """Record that a learner opened a lesson (and remember it for "resume"). Nothing if they may not read it."""
    lesson = canonical_page(lesson)
    course = _course_of(lesson)
    outline = course_outline(course=course, person=person, language=page_language(course))
    state = outline.state_for(lesson.pk)
    enrolment = outline.enrolment
    if state is None or state.locked or enrolment is None or enrolment.status != EnrolmentStatus.ACTIVE:
        return None
    progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
    return progress


@transaction.atomic
def lesson_complete(*, person, lesson: LessonPage) -> LessonProgress:
    """Mark a lesson completed; refuses a locked lesson with the reason. Re-evaluates course completion."""
    lesson = canonical_page(lesson)
    course = _course_of(lesson)
    outline = course_outline(course=course, person=person, language=page_language(course))
    state = outline.state_for(lesson.pk)
    if state is None:
        raise CourseError(errors.MSG_LESSON_NOT_LIVE)
    enrolment = outline.enrolment
    if (enrolment is None or enrolment.status != EnrolmentStatus.ACTIVE) and course.open_access and not state.locked:
        enrolment = enrolment_create(person=person, course=course, source=EnrolmentSource.SELF)
        outline = course_outline(course=course, person=person, language=page_language(course))
        state = outline.state_for(lesson.pk)
    if state.locked:
        raise CourseError(state.lock_reason)
    if enrolment is None or enrolment.status != EnrolmentStatus.ACTIVE:
        # A finished enrolment is history: completing a lesson again needs a retake.
        raise CourseError(errors.MSG_NOT_ENROLLED)
    now = timezone.now()
    progress, created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"viewed_at": now, "completed_at": now}
    )
    if not created and progress.completed_at is None:
        progress.completed_at = now
        progress.save(update_fields=["completed_at"])
    Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
    course_completion_refresh(person=person, course=course)
    return progress


@transaction.atomic
def course_completion_refresh(*, person, course: CoursePage) -> CourseCompletion | None:
    """Re-evaluate whether ``person`` has completed ``course``; record the completion once and issue the certificate.

    Called after a lesson is completed, and by other apps after a result changes (e.g. a quiz is
    passed). Returns the new completion, or None when the course is not (newly) complete.
    """
    course = canonical_page(course)
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(person=person, course=course, status=EnrolmentStatus.ACTIVE)
        .first()
    )
    if enrolment is None:
        return None
    required = list(LessonPage.objects.child_of(course).live().filter(required=True).values_list("pk", flat=True))
    done = set(
        LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )
    if any(pk not in done for pk in required):
        return None
    requirements = completion_registry.requirements_for(person, course)
    if any(r.required and not r.met for r in requirements):
        return None
    now = timezone.now()
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = now
    enrolment.save(update_fields=["status", "completed_at"])
    completed = CourseCompletion.objects.create(person=person, course=course, enrolment=enrolment, completed_at=now)
    from .certificates import certificate_issue

    certificate_issue(completion=completed)
    return completed
