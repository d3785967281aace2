"""Course completion: a course with required quizzes is complete only once each is passed."""

from __future__ import annotations

from courses.completion import Requirement

from .models import QuizPage
from .selectors import person_passed


def quiz_requirements(person, course) -> list[Requirement]:
    """One requirement per live quiz of the course marked "required" (passed by the quiz's grading method)."""
    quizzes = list(QuizPage.objects.child_of(course).live().filter(required_for_completion=True).order_by("path"))
    if not quizzes:
        return []
    passed = person_passed(person=person, quizzes=quizzes)
    return [Requirement(key=f"quiz:{q.pk}", label=q.title, met=passed[q.pk], required=True) for q in quizzes]
