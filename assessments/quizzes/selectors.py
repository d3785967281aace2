"""Reads: what a person may take, their results, a quiz's results and item-analysis rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from assessments.scoring import grading, items

from .models import Attempt, AttemptQuestion, AttemptStatus, QuizOverride, QuizPage


def quizzes_for_learner() -> QuerySet[QuizPage]:
    """Live original quizzes (a translated quiz page shares its original's questions and attempts)."""
    return originals(QuizPage.objects.live().public()).order_by("path")


def originals(qs: QuerySet[QuizPage]) -> QuerySet[QuizPage]:
    """Quiz pages that are the original of their translation group (the first made, as for lessons)."""
    earlier = QuizPage.objects.filter(translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk"))
    return qs.exclude(Exists(earlier))


def quiz_titles_in(quizzes: list[QuizPage], language: str) -> dict[int, str]:
    """{original quiz id: its title in ``language``} where a live translation exists (one query)."""
    from courses.selectors import translations_in

    shown = translations_in(QuizPage, quizzes, language)
    return {q.pk: shown[q.translation_key].title for q in quizzes if q.translation_key in shown}


@dataclass(frozen=True)
class PersonQuizResult:
    attempts: int
    in_progress_id: int | None
    grade: float | None  # percent, combined across attempts by the quiz's grading method
    passed: bool


def person_results(*, person, quizzes: list[QuizPage]) -> dict[int, PersonQuizResult]:
    """The person's result on each quiz: one query whatever the number of quizzes."""
    rows = (
        Attempt.objects.filter(person=person, quiz__in=quizzes)
        .order_by("quiz_id", "number")
        .values_list("quiz_id", "pk", "status", "percent")
    )
    by_quiz: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        by_quiz[row[0]].append(row)
    out = {}
    for quiz in quizzes:
        attempts = by_quiz.get(quiz.pk, [])
        percents = [r[3] for r in attempts if r[2] == AttemptStatus.SUBMITTED and r[3] is not None]
        grade = grading.combine_attempts(percents, method=quiz.grading_method)
        out[quiz.pk] = PersonQuizResult(
            attempts=len(attempts),
            in_progress_id=next((r[1] for r in attempts if r[2] == AttemptStatus.IN_PROGRESS), None),
            grade=grade,
            passed=grade is not None and grade + 1e-9 >= quiz.pass_mark,
        )
    return out


def person_passed(*, person, quizzes: list[QuizPage]) -> dict[int, bool]:
    return {pk: r.passed for pk, r in person_results(person=person, quizzes=quizzes).items()}


@dataclass(frozen=True)
class ResultRow:
    person_id: int
    full_name: str
    employee_number: str
    unit_code: str
    attempts: int
    last_submitted: datetime | None
    grade: float | None
    passed: bool
    percents: tuple[float, ...]


def quiz_results(*, quiz: QuizPage) -> list[ResultRow]:
    """One row per person who attempted the quiz (one query)."""
    rows = (
        Attempt.objects.filter(quiz=quiz)
        .order_by("person__full_name", "person_id", "number")
        .values_list(
            "person_id",
            "person__full_name",
            "person__employee_number",
            "person__unit__code",
            "status",
            "percent",
            "submitted_at",
        )
    )
    grouped: dict[int, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    out = []
    for person_id, attempts in grouped.items():
        submitted = [r for r in attempts if r[4] == AttemptStatus.SUBMITTED and r[5] is not None]
        percents = tuple(r[5] for r in submitted)
        grade = grading.combine_attempts(list(percents), method=quiz.grading_method)
        first = attempts[0]
        out.append(
            ResultRow(
                person_id=person_id,
                full_name=first[1],
                employee_number=first[2],
                unit_code=first[3],
                attempts=len(attempts),
                last_submitted=max((r[6] for r in submitted), default=None),
                grade=grade,
                passed=grade is not None and grade + 1e-9 >= quiz.pass_mark,
                percents=percents,
            )
        )
    return out


def item_rows(*, quiz: QuizPage) -> tuple[list[dict[int, float]], dict[int, str]]:
    """Per submitted attempt, question id -> fraction scored; plus each question's title (two queries)."""
    rows: dict[int, dict[int, float]] = {}
    titles: dict[int, str] = {}
    data = AttemptQuestion.objects.filter(
        attempt__quiz=quiz, attempt__status=AttemptStatus.SUBMITTED, points__isnull=False
    ).values_list("attempt_id", "question_id", "points", "max_points")
    for attempt_id, question_id, points, max_points in data:
        rows.setdefault(attempt_id, {})[question_id] = (points / max_points) if max_points else 0.0
    if rows:
        from .models import Question

        titles = dict(Question.objects.filter(pk__in={q for r in rows.values() for q in r}).values_list("pk", "title"))
    return list(rows.values()), titles


def quiz_item_statistics(*, quiz: QuizPage) -> tuple[items.QuizStats, dict[int, str]]:
    rows, titles = item_rows(quiz=quiz)
    order = sorted(titles, key=lambda pk: titles[pk])
    return items.item_statistics(rows, order), titles


def quizzes_with_counts(qs: QuerySet[QuizPage]) -> QuerySet[QuizPage]:
    return qs.annotate(
        attempt_count=Count("attempts", distinct=True),
        submitted_count=Count("attempts", filter=Q(attempts__status=AttemptStatus.SUBMITTED), distinct=True),
    )


def overrides_for(*, quiz: QuizPage) -> QuerySet[QuizOverride]:
    return QuizOverride.objects.filter(quiz=quiz).select_related("person")


def course_titles(quizzes: list[QuizPage]) -> dict[int, tuple[int, str]]:
    """Each quiz's parent (course) id and title, in one query."""
    from wagtail.models import Page

    steplen = QuizPage.steplen
    parent_paths = {q.pk: q.path[:-steplen] for q in quizzes}
    parents = {p.path: (p.pk, p.title) for p in Page.objects.filter(path__in=set(parent_paths.values()))}
    return {pk: parents[path] for pk, path in parent_paths.items() if path in parents}


def _course_keys_for(person) -> set:
    from courses.models import Enrolment

    return set(
        Enrolment.objects.filter(person=person)
        .exclude(status="withdrawn")
        .values_list("course__translation_key", flat=True)
    )


def person_may_take(*, person, quiz: QuizPage) -> bool:
    """Enrolled in the quiz's course (in any of its languages), or the course is open to everyone."""
    from courses.models import CoursePage

    course = CoursePage.objects.filter(path=quiz.path[: -QuizPage.steplen]).first()
    if course is None:
        return False
    return bool(course.open_access) or course.translation_key in _course_keys_for(person)


def quizzes_for_person(*, person) -> list[QuizPage]:
    """Live quizzes the person may take (three queries whatever the number of quizzes)."""
    from courses.models import CoursePage

    quizzes = list(quizzes_for_learner())
    parent_paths = {q.path[: -QuizPage.steplen] for q in quizzes}
    courses = {
        c.path: c
        for c in CoursePage.objects.filter(path__in=parent_paths).only("path", "translation_key", "open_access")
    }
    keys = _course_keys_for(person)
    out = []
    for quiz in quizzes:
        course = courses.get(quiz.path[: -QuizPage.steplen])
        if course is not None and (course.open_access or course.translation_key in keys):
            out.append(quiz)
    return out
