"""Quiz API: the learner's quizzes and attempts (used by the quiz page's own JavaScript and integrations)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from lms import policy

from . import presenters, selectors
from .errors import QuizError
from .models import Attempt, QuizOverride
from .services import attempts as services

router = Router(tags=["quizzes"])


class Problem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[Problem] = []


class QuizOut(Schema):
    id: int
    title: str
    url: str | None
    course_id: int | None
    course_title: str | None
    opens_at: datetime | None
    closes_at: datetime | None
    time_limit_minutes: int | None
    max_attempts: int | None
    attempts_used: int
    attempt_in_progress: int | None
    grade: float | None
    passed: bool
    pass_mark: float


class ChoiceOut(Schema):
    id: str
    text: str


class QuestionOut(Schema):
    id: int
    position: int
    kind: str
    stem: str
    language: str = "vi"  # the question's language: the caller's when translated, else the original's
    points: float
    choices: list[ChoiceOut] = []
    targets: list[ChoiceOut] = []
    response: Any = None


class QuestionResultOut(Schema):
    id: int
    points: float | None
    max_points: float
    correct: bool
    correct_answer: Any = None
    feedback: dict | None = None


class ResultOut(Schema):
    points: float | None
    max_points: float | None
    percent: float | None
    passed: bool
    pass_mark: float
    review: str
    answers_withheld: bool = False  # the correct answers are shown once no attempt is left or the quiz closes
    questions: list[QuestionResultOut]


class AttemptOut(Schema):
    id: int
    quiz_id: int
    quiz_title: str
    number: int
    status: str
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    auto_submitted: bool
    server_time: datetime
    questions: list[QuestionOut]
    result: ResultOut | None


class AnswersIn(Schema):
    answers: dict[str, Any]


class SavedOut(Schema):
    id: int
    saved: int
    deadline: datetime | None
    server_time: datetime


def _language(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or "vi").split("-")[0]


def _learner(request):
    """The caller's staff profile, or a 403 explaining why they cannot take quizzes."""
    if not policy.can(request.user, "learning.take"):
        return None
    return policy.profile_of(request.user)


def _refused(exc: QuizError):
    body: dict[str, Any] = {"detail": str(exc), "errors": []}
    if exc.field:
        body["errors"] = [{"field": exc.field, "message": str(exc)}]
    return Status(exc.status, body)


def _no_profile():
    return Status(403, {"detail": _("Only members of staff with a learner profile can take quizzes."), "errors": []})


@router.get("/quizzes/", response={200: list[QuizOut], 403: ErrorOut}, summary="The quizzes the caller may take")
def quiz_list(request):
    person = _learner(request)
    if person is None:
        return _no_profile()
    quizzes = selectors.quizzes_for_person(person=person)
    titles = selectors.quiz_titles_in(quizzes, _language(request))
    parents = selectors.course_titles(quizzes)
    results = selectors.person_results(person=person, quizzes=quizzes)
    overrides = {o.quiz_id: o for o in QuizOverride.objects.filter(person=person, quiz__in=quizzes)}
    out = []
    for quiz in quizzes:
        result = results[quiz.pk]
        course = parents.get(quiz.pk)
        override = overrides.get(quiz.pk)
        out.append(
            {
                "id": quiz.pk,
                "title": titles.get(quiz.pk, quiz.title),
                "url": quiz.get_url(request),
                "course_id": course[0] if course else None,
                "course_title": course[1] if course else None,
                "opens_at": quiz.opens_at,
                "closes_at": services.closes_at_for(quiz, override),
                "time_limit_minutes": (quiz.time_limit_minutes + (override.extra_minutes if override else 0))
                if quiz.time_limit_minutes
                else None,
                "max_attempts": services.attempt_limit_for(quiz, override),
                "attempts_used": result.attempts,
                "attempt_in_progress": result.in_progress_id,
                "grade": result.grade,
                "passed": result.passed,
                "pass_mark": quiz.pass_mark,
            }
        )
    return out


@router.post(
    "/quizzes/{quiz_id}/attempts",
    response={200: AttemptOut, 201: AttemptOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Start an attempt (or resume the one in progress): the questions, without keys",
)
def attempt_start(request, quiz_id: int):
    person = _learner(request)
    if person is None:
        return _no_profile()
    quiz = get_object_or_404(selectors.quizzes_for_learner(), pk=quiz_id)
    if not policy.can(request.user, "quizzes.take", quiz):
        return Status(404, {"detail": _("Not found."), "errors": []})
    try:
        attempt, created = services.attempt_start(person=person, quiz=quiz, language=_language(request))
    except QuizError as exc:
        return _refused(exc)
    attempt = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
    return Status(201 if created else 200, presenters.attempt_payload(attempt))


def _own_attempt(person, attempt_id: int) -> Attempt:
    return get_object_or_404(Attempt.objects.select_related("quiz"), pk=attempt_id, person=person)


@router.get("/attempts/{attempt_id}", response={200: AttemptOut, 403: ErrorOut, 404: ErrorOut}, summary="An attempt")
def attempt_detail(request, attempt_id: int):
    person = _learner(request)
    if person is None:
        return _no_profile()
    attempt = _own_attempt(person, attempt_id)
    if attempt.is_open and services.attempts_close_overdue(person=person, quiz=attempt.quiz):
        attempt = _own_attempt(person, attempt_id)
    return presenters.attempt_payload(attempt)


@router.put(
    "/attempts/{attempt_id}/answers",
    response={200: SavedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary='Save answers (partial, idempotent): {"answers": {"<question id>": <response>}}',
)
def attempt_answers(request, attempt_id: int, payload: AnswersIn):
    person = _learner(request)
    if person is None:
        return _no_profile()
    try:
        attempt = services.attempt_answers_save(attempt_id=attempt_id, person=person, answers=payload.answers)
    except Attempt.DoesNotExist:
        return Status(404, {"detail": _("Not found."), "errors": []})
    except QuizError as exc:
        return _refused(exc)

    return {
        "id": attempt.pk,
        "saved": len(payload.answers),
        "deadline": attempt.deadline,
        "server_time": timezone.now(),
    }


@router.post(
    "/attempts/{attempt_id}/submit",
    response={200: AttemptOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Submit for grading: score, pass/fail and per-question results as the quiz's review options allow",
)
def attempt_submit(request, attempt_id: int):
    person = _learner(request)
    if person is None:
        return _no_profile()
    try:
        attempt, _new = services.attempt_submit(attempt_id=attempt_id, person=person)
    except Attempt.DoesNotExist:
        return Status(404, {"detail": _("Not found."), "errors": []})
    except QuizError as exc:
        return _refused(exc)
    return presenters.attempt_payload(attempt)
