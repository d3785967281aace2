"""Courses API: the caller's own learning record, and enrolment. Staff see only their own data."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from lms import policy

from . import errors, selectors
from .errors import CourseError
from .models import CoursePage
from .services.enrolment import enrolment_create

router = Router(tags=["courses"])


class EnrolmentOut(Schema):
    id: int
    course_id: int
    course_title: str
    status: str
    source: str
    due_date: date | None
    overdue: bool
    lessons_done: int
    lessons_required: int
    enrolled_at: datetime


class CompletionOut(Schema):
    course_id: int
    course_title: str
    completed_at: datetime
    certificate_code: str | None
    certificate_expires_on: date | None


class MyLearning(Schema):
    enrolments: list[EnrolmentOut]
    completions: list[CompletionOut]


def _person(request):
    person = policy.profile_of(request.user)
    if person is None or not policy.can(request.user, "learning.take"):
        raise HttpError(403, str(errors.MSG_NOT_A_LEARNER))
    return person


@router.get("/courses/me", response=MyLearning, summary="The caller's enrolments and completions")
def my_learning(request):
    person = _person(request)
    dashboard = selectors.my_learning(person=person, language=selectors.language_of_request())
    rows = [*dashboard.assigned, *dashboard.in_progress]
    return {
        "enrolments": [
            {
                "id": r.enrolment.pk,
                "course_id": r.course.pk,
                "course_title": r.title,
                "status": r.enrolment.status,
                "source": r.enrolment.source,
                "due_date": r.enrolment.due_date,
                "overdue": r.overdue,
                "lessons_done": r.done,
                "lessons_required": r.total,
                "enrolled_at": r.enrolment.enrolled_at,
            }
            for r in rows
        ],
        "completions": [
            {
                "course_id": completion.course_id,
                "course_title": title,
                "completed_at": completion.completed_at,
                "certificate_code": certificate.code if certificate else None,
                "certificate_expires_on": certificate.expires_on if certificate else None,
            }
            for completion, title, certificate in dashboard.completed
        ],
    }


@router.post("/courses/{course_id}/enrol", response={201: EnrolmentOut}, summary="Enrol the caller in a course")
def enrol(request, course_id: int):
    person = _person(request)
    course = selectors.canonical_page(get_object_or_404(CoursePage.objects.live(), pk=course_id))
    try:
        enrolment = enrolment_create(person=person, course=course)
    except CourseError as exc:
        raise HttpError(400, str(exc))
    outline = selectors.course_outline(course=course, person=person, language=selectors.language_of_request())
    return Status(
        201,
        {
            "id": enrolment.pk,
            "course_id": course.pk,
            "course_title": outline.shown.title,
            "status": enrolment.status,
            "source": enrolment.source,
            "due_date": enrolment.due_date,
            "overdue": enrolment.is_overdue(),
            "lessons_done": outline.required_done,
            "lessons_required": outline.required_total,
            "enrolled_at": enrolment.enrolled_at,
        },
    )
