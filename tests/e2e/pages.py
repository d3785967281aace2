"""The pages each role visits, for the sweeps that walk every page (accessibility, CSP, off-host requests).

Paths are read from the database after ``seed_demo`` so the sweeps follow the demo as it changes; a page the
demo does not have (no quiz, no evaluation period) is left out rather than guessed.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from lms import policy

LEARNER = "learner"
TRAINER = "trainer"
HR = "hr"
USERNAMES = {LEARNER: "staff", TRAINER: "trainer", HR: "hr"}


def _first_url(model, **filters) -> str | None:
    page = model.objects.live().filter(**filters).order_by("path").first()
    return page.url if page is not None else None


def _learner_pages() -> list[tuple[str, str]]:
    from assessments.quizzes.models import QuizPage
    from courses.models import CoursePage, LessonPage

    found = [
        ("Home", "/"),
        ("My learning", "/my-learning/"),
        ("Catalogue", "/catalogue/"),
        ("My competencies", "/my/competencies/"),
        ("My settings", "/my/settings/"),
        ("Account security", "/accounts/security/"),
        ("Certificate check", "/certificates/verify/"),
    ]
    for label, url in (
        ("Course", _first_url(CoursePage)),
        ("Lesson", _first_url(LessonPage)),
        ("Quiz", _first_url(QuizPage)),
    ):
        if url:
            found.append((label, url))
    return found


def _trainer_pages() -> list[tuple[str, str]]:
    from assessments.quizzes.models import Question
    from courses.models import CourseIndexPage, LessonPage

    found = [
        ("Home", "/"),
        ("My learning", "/my-learning/"),
        ("Catalogue", "/catalogue/"),
        ("Assignments", "/courses/assignments/"),
        # The Wagtail admin pages trainers work in.
        ("Admin dashboard", "/admin/"),
        ("Question bank", "/admin/snippets/quizzes/question/"),
        ("H5P activities", "/admin/snippets/h5p/h5pactivity/"),
    ]
    index = CourseIndexPage.objects.filter(locale__language_code="vi").order_by("path").first()
    if index is not None:
        found.append(("Page explorer", f"/admin/pages/{index.pk}/"))
    lesson = LessonPage.objects.filter(locale__language_code="vi").order_by("path").first()
    if lesson is not None:
        found.append(("Edit a lesson", f"/admin/pages/{lesson.pk}/edit/"))
    question = Question.objects.order_by("pk").first()
    if question is not None:
        found.append(("Edit a question", f"/admin/snippets/quizzes/question/edit/{question.pk}/"))
    return found


def _hr_pages() -> list[tuple[str, str]]:
    from assessments.placement.models import DiagnosticCampaign
    from reports.models import EvaluationPeriod

    user = get_user_model().objects.get(username=USERNAMES[HR])
    found = [("Dashboard", "/reports/"), ("Evaluations", "/reports/evaluations/"), ("Export jobs", "/reports/jobs/")]
    unit = policy.visible_units(user).order_by("pk").first()
    if unit is not None:
        found.append(("Unit staff", f"/reports/units/{unit.pk}/staff/"))
    person = policy.visible_people(user).order_by("pk").first()
    if person is not None:
        found.append(("Person", f"/reports/people/{person.pk}/"))
    found += [
        ("Placement baseline", "/reports/baseline/"),
        ("Placement campaigns", "/placement/campaigns/"),
        ("New placement campaign", "/placement/campaigns/new/"),
    ]
    campaign = DiagnosticCampaign.objects.order_by("pk").first()
    if campaign is not None and policy.can(user, "placement.view_campaign", campaign):
        found.append(("Placement campaign", f"/placement/campaigns/{campaign.pk}/"))
    period = EvaluationPeriod.objects.order_by("pk").first()
    if period is not None:
        found.append(("Evaluation period", f"/reports/evaluations/{period.pk}/"))
        if person is not None:
            found.append(("Person's evaluation", f"/reports/evaluations/{period.pk}/people/{person.pk}/"))
    return found


def pages_for(role: str) -> list[tuple[str, str]]:
    """(label, path) of the pages ``role`` (learner, trainer or hr) visits in the demo."""
    return {LEARNER: _learner_pages, TRAINER: _trainer_pages, HR: _hr_pages}[role]()


# The Wagtail admin, kept apart from ``pages_for`` until the admin passes the axe sweep (the i18n work): the
# closed-network sweep walks both lists.
ADMIN = "admin"
ADMIN_USERNAMES = {TRAINER: "trainer", ADMIN: "admin"}


def admin_pages_for(role: str) -> list[tuple[str, str]]:
    """(label, path) of the Wagtail admin pages ``role`` (trainer or admin) visits in the demo."""
    from courses.models import CourseIndexPage, LessonPage

    found = [
        ("Admin dashboard", "/admin/"),
        ("Images", "/admin/images/"),
        ("Documents", "/admin/documents/"),
        ("H5P activities", "/admin/snippets/h5p/h5pactivity/"),
        ("Questions", "/admin/snippets/quizzes/question/"),
        ("Competencies", "/admin/snippets/assessments/competency/"),
    ]
    catalogue = CourseIndexPage.objects.order_by("path").first()
    if catalogue is not None:
        found.append(("Page explorer", f"/admin/pages/{catalogue.pk}/"))
    lesson = LessonPage.objects.order_by("path").first()
    if lesson is not None:
        found.append(("Lesson editor", f"/admin/pages/{lesson.pk}/edit/"))
    if role == ADMIN:
        found += [("Users", "/admin/users/"), ("Groups", "/admin/groups/")]
    return found
