"""Enrolling in a course (self-enrolment and retakes)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import errors
from ..errors import CourseError
from ..models import CoursePage, Enrolment, EnrolmentSource, EnrolmentStatus
from ..selectors import canonical_page


@transaction.atomic
def enrolment_create(
    *, person, course: CoursePage, source: str = EnrolmentSource.SELF, due_date=None, assignment=None
) -> Enrolment:
    """Open an enrolment, or return the open one that already exists (enrolling twice changes nothing).

    After a completion, enrolling again opens a new enrolment (a retake); the old completion and
    certificate stay as they were.
    """
    if person is None or not person.is_active:
        raise CourseError(errors.MSG_NOT_A_LEARNER)
    course = canonical_page(course)
    if not course.live:
        raise CourseError(errors.MSG_COURSE_NOT_LIVE)
    existing = Enrolment.objects.open().filter(person=person, course=course).first()
    if existing is not None:
        if due_date is not None and (existing.due_date is None or due_date < existing.due_date):
            existing.due_date = due_date
            existing.assignment = assignment or existing.assignment
            existing.save(update_fields=["due_date", "assignment"])
        return existing
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                person=person,
                course=course,
                source=source,
                due_date=due_date,
                assignment=assignment,
                enrolled_at=timezone.now(),
                status=EnrolmentStatus.ACTIVE,
            )
    except IntegrityError:
        # A concurrent request opened it first.
        return Enrolment.objects.open().get(person=person, course=course)
