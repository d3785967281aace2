"""The pages each role visits in the demo (``seed_demo``), shared by the browser sweeps: accessibility
(axe), Content-Security-Policy and the closed-network check. Extend the lists here rather than writing
another one.

``pages_for(role)`` returns ``(label, path)`` pairs for ``role`` in ``ROLES``; call it after the demo is
seeded (some paths are looked up in the database). ``USERS`` names the demo account of each role.
"""

from __future__ import annotations

ROLES = ("learner", "trainer", "hr", "admin")
USERS = {"learner": "staff", "trainer": "trainer", "hr": "hr", "admin": "admin"}


def _first_lesson() -> str | None:
    from courses.models import LessonPage

    lesson = LessonPage.objects.live().filter(locale__language_code="vi").order_by("path").first()
    return lesson.url if lesson else None


def _first_course() -> str | None:
    from courses.models import CoursePage

    course = CoursePage.objects.live().filter(locale__language_code="vi").order_by("path").first()
    return course.url if course else None


def _first_quiz() -> str | None:
    from assessments.quizzes.models import QuizPage

    quiz = QuizPage.objects.live().filter(locale__language_code="vi").order_by("path").first()
    return quiz.url if quiz else None


def _learner_pages() -> list[tuple[str, str | None]]:
    return [
        ("home", "/"),
        ("my learning", "/my-learning/"),
        ("catalogue", "/catalogue/"),
        ("course", _first_course()),
        ("lesson", _first_lesson()),
        ("quiz", _first_quiz()),
        ("my competencies", "/my/competencies/"),
        ("settings", "/my/settings/"),
        ("account security", "/accounts/security/"),
    ]


def _hr_pages() -> list[tuple[str, str | None]]:
    from lms.models import StaffProfile, Unit
    from reports.models import EvaluationPeriod

    unit = Unit.objects.filter(code="DSQ-FR").first() or Unit.objects.order_by("pk").first()
    person = StaffProfile.objects.filter(user__username="staff").first()
    period = EvaluationPeriod.objects.order_by("pk").first()
    return [
        ("HR dashboard", "/reports/"),
        ("staff list", f"/reports/units/{unit.pk}/staff/" if unit else None),
        ("person", f"/reports/people/{person.pk}/" if person else None),
        ("person's competencies", f"/people/{person.pk}/competencies/" if person else None),
        ("evaluations", "/reports/evaluations/"),
        ("evaluation period", f"/reports/evaluations/{period.pk}/" if period else None),
        ("audit", "/reports/audit/"),
        ("report jobs", "/reports/jobs/"),
    ]


def _trainer_admin_pages() -> list[tuple[str, str | None]]:
    from courses.models import CourseIndexPage, LessonPage

    catalogue = CourseIndexPage.objects.filter(locale__language_code="vi").order_by("path").first()
    lesson = LessonPage.objects.filter(locale__language_code="vi").order_by("path").first()
    return [
        ("admin dashboard", "/admin/"),
        ("page explorer", f"/admin/pages/{catalogue.pk}/" if catalogue else None),
        ("lesson editor", f"/admin/pages/{lesson.pk}/edit/" if lesson else None),
        ("images", "/admin/images/"),
        ("documents", "/admin/documents/"),
        ("H5P activities", "/admin/snippets/h5p/h5pactivity/"),
        ("questions", "/admin/snippets/quizzes/question/"),
        ("competencies", "/admin/snippets/assessments/competency/"),
    ]


def pages_for(role: str) -> list[tuple[str, str]]:
    """(label, path) of the pages ``role`` visits in the demo, in the order a person would."""
    if role == "learner":
        pages = _learner_pages()
    elif role == "trainer":
        pages = [("my learning", "/my-learning/"), *_trainer_admin_pages()]
    elif role == "hr":
        pages = [("home", "/"), *_hr_pages()]
    elif role == "admin":
        pages = [*_trainer_admin_pages(), ("users", "/admin/users/"), ("groups", "/admin/groups/")]
    else:
        raise ValueError(f"unknown role {role!r}; one of {ROLES}")
    return [(label, path) for label, path in pages if path]
