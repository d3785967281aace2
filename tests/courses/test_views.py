import pytest
from django.urls import reverse

from courses.models import Enrolment, LessonPage, LessonProgress
from courses.services.enrolment import enrolment_create
from tests.courses.conftest import lessons_of, make_lesson
from tests.factories import make_person


def translate(page, locale):
    translated = page.copy_for_translation(locale, copy_parents=True)
    translated.title = f"EN {page.title}"
    translated.save_revision().publish()
    return translated.specific


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner.user)
    return client


def test_anonymous_is_sent_to_sign_in(client, course):
    response = client.get(course.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_course_page_offers_enrolment_by_post_only(signed_in, course, learner):
    response = signed_in.get(course.url)
    assert response.status_code == 200
    assert "Enrol in this course" in response.content.decode() or "Ghi danh" in response.content.decode()
    url = reverse("courses:enrol", args=[course.pk])
    assert signed_in.get(url).status_code == 405
    assert not Enrolment.objects.exists()
    response = signed_in.post(url)
    assert response.status_code == 302
    assert Enrolment.objects.filter(person=learner, course=course, source="self").count() == 1


def test_enrol_needs_csrf(client, course, learner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner.user)
    assert strict.post(reverse("courses:enrol", args=[course.pk])).status_code == 403
    assert not Enrolment.objects.exists()


def test_lesson_of_a_course_not_enrolled_redirects_to_course(signed_in, course):
    lesson = lessons_of(course)[0]
    response = signed_in.get(lesson.url)
    assert response.status_code == 302 and response["Location"] == course.url


def test_open_course_lessons_readable_without_enrolment(signed_in, catalogue):
    from tests.courses.conftest import make_course

    course = make_course(catalogue, title="Mở", slug="open", open_access=True)
    lesson = make_lesson(course, title="Bài mở", slug="open-1")
    assert signed_in.get(lesson.url).status_code == 200


def test_enrolled_learner_reads_and_completes_a_lesson(signed_in, course, learner):
    enrolment_create(person=learner, course=course)
    first, second, _third = lessons_of(course)
    response = signed_in.get(first.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bài 1" in body and reverse("courses:lesson_complete", args=[first.pk]) in body
    assert signed_in.get(reverse("courses:lesson_complete", args=[first.pk])).status_code == 405
    response = signed_in.post(reverse("courses:lesson_complete", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == second.url
    assert LessonProgress.objects.filter(lesson=first, completed_at__isnull=False).count() == 1


def test_viewed_is_a_post(signed_in, course, learner):
    enrolment = enrolment_create(person=learner, course=course)
    lesson = lessons_of(course)[1]
    url = reverse("courses:lesson_viewed", args=[lesson.pk])
    assert signed_in.get(url).status_code == 405
    assert signed_in.post(url).status_code == 204
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == lesson.pk


def test_locked_lesson_shows_why_and_cannot_be_completed_by_url(signed_in, catalogue, learner):
    from tests.courses.conftest import make_course

    course = make_course(catalogue, title="Tuần tự", slug="seq", sequential=True)
    make_lesson(course, title="Một", slug="s1")
    second = make_lesson(course, title="Hai", slug="s2")
    enrolment_create(person=learner, course=course)
    response = signed_in.get(second.url)
    assert response.status_code == 403
    assert "“Một”" in response.content.decode()
    response = signed_in.post(reverse("courses:lesson_complete", args=[second.pk]), follow=True)
    assert "“Một”" in response.content.decode()
    assert not LessonProgress.objects.filter(lesson=second).exists()


def test_someone_else_cannot_see_my_progress(client, course, learner, unit):
    enrolment_create(person=learner, course=course)
    lesson = lessons_of(course)[0]
    from courses.services.progress import lesson_complete

    lesson_complete(person=learner, lesson=lesson)
    other = make_person("other", unit)
    client.force_login(other.user)
    body = client.get(course.url).content.decode()
    assert "Completed" not in body and "Đã hoàn thành" not in body
    response = client.get(reverse("courses:my_learning"))
    dashboard = response.context["dashboard"]
    assert dashboard.in_progress == [] and dashboard.assigned == [] and dashboard.completed == []


def test_english_learner_sees_translation_when_it_exists(signed_in, course, learner, english):
    learner.language = "en"
    learner.save()
    lesson = lessons_of(course)[0]
    translate(course, english)
    translated_lesson = translate(lesson, english)
    enrolment_create(person=learner, course=course)
    response = signed_in.get(lesson.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "EN Bài 1" in body and "not yet available in your language" not in body
    # Progress is shared whatever the language: completing the English lesson completes the original.
    signed_in.post(reverse("courses:lesson_complete", args=[translated_lesson.pk]))
    assert LessonProgress.objects.filter(lesson=lesson, completed_at__isnull=False).exists()


def test_english_learner_gets_original_with_notice_when_not_translated(signed_in, course, learner, english):
    learner.language = "en"
    learner.save()
    translate(course, english)  # the course is translated, its lessons are not
    enrolment_create(person=learner, course=course)
    lesson = lessons_of(course)[1]
    response = signed_in.get(lesson.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bài 2" in body and "not yet available in your language" in body


def test_trainer_may_preview_any_lesson(client, course, unit):
    trainer = make_person("trainer1", unit, role="Trainers")
    client.force_login(trainer.user)
    assert client.get(lessons_of(course)[0].url).status_code == 200


def test_lesson_missing_returns_404(signed_in):
    assert signed_in.post(reverse("courses:lesson_complete", args=[999999])).status_code == 404
    assert LessonPage.objects.count() == 0


def test_untranslated_course_is_served_from_the_original_for_english_readers(signed_in, catalogue, learner, english):
    from tests.courses.conftest import make_course

    learner.language = "en"
    learner.save()
    translate(catalogue, english)
    course = make_course(catalogue, title="Chỉ tiếng Việt", slug="vi-only")
    response = signed_in.get(course.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chỉ tiếng Việt" in body and "not yet available in your language" in body


def test_hr_outside_scope_gets_404_on_an_assignment(client, course, unit):
    from courses.models import CourseAssignment
    from tests.factories import make_hr, make_unit

    eu = make_unit("EU", unit, kind="other")
    jp = make_unit("JP", unit, kind="embassy")
    assignment = CourseAssignment.objects.create(course=course, due_date="2030-01-01")
    assignment.units.set([jp])
    hr = make_hr("hr_eu", eu, eu)
    client.force_login(hr.user)
    assert client.get(reverse("courses:assignment_detail", args=[assignment.pk])).status_code == 404
    assert assignment not in client.get(reverse("courses:assignment_list")).context["assignments"]


def test_scheduled_publishing_task_publishes_due_pages(catalogue):
    import datetime as dt

    from django.utils import timezone

    from courses.models import CoursePage
    from courses.tasks import publish_scheduled_pages_task
    from tests.courses.conftest import make_course

    course = make_course(catalogue, title="Hẹn giờ", slug="scheduled", live=False)
    course.save_revision(approved_go_live_at=timezone.now() - dt.timedelta(minutes=1))
    publish_scheduled_pages_task.delay()
    assert CoursePage.objects.get(pk=course.pk).live


def test_draft_translation_falls_back_to_the_original(signed_in, course, learner, english):
    learner.language = "en"
    learner.save()
    translate(course, english)
    lesson = lessons_of(course)[0]
    draft = lesson.copy_for_translation(english)  # translated but not published yet
    assert not draft.live
    enrolment_create(person=learner, course=course)
    response = signed_in.get(lesson.url)
    assert response.status_code == 200
    assert "Bài 1" in response.content.decode() and "not yet available in your language" in response.content.decode()


def test_recommendations_favour_courses_for_weak_competencies(client, catalogue, learner):
    from assessments.models import Competency, CompetencyScore
    from tests.courses.conftest import make_course

    strong, weak = Competency.objects.filter(framework__is_current=True).order_by("pk")[:2]
    from django.utils import timezone

    now = timezone.now()
    CompetencyScore.objects.create(person=learner, competency=strong, score=0.9, computed_at=now)
    CompetencyScore.objects.create(person=learner, competency=weak, score=0.1, computed_at=now)
    a = make_course(catalogue, title="A: đã giỏi", slug="a-strong")
    a.target_competencies.add(strong)
    a.save()
    b = make_course(catalogue, title="B: còn yếu", slug="b-weak")
    b.target_competencies.add(weak)
    b.save()
    client.force_login(learner.user)
    recommended = client.get(reverse("courses:my_learning")).context["dashboard"].recommended
    assert [course.slug for course, _title, _weak in recommended] == ["b-weak", "a-strong"]
    assert recommended[0][2] == [weak.name_vi] and recommended[1][2] == []  # the learner reads Vietnamese


# ---- navigation and My learning (issue 14) ----


@pytest.mark.parametrize("where", ["home", "my_learning", "course", "lesson", "competencies"])
def test_every_learner_page_links_to_my_learning_the_catalogue_and_my_competencies(signed_in, course, learner, where):
    enrolment_create(person=learner, course=course)
    url = {
        "home": "/",
        "my_learning": reverse("courses:my_learning"),
        "course": course.url,
        "lesson": lessons_of(course)[0].url,
        "competencies": reverse("assessments:my_competencies"),
    }[where]
    response = signed_in.get(url)
    assert response.status_code == 200
    nav = response.content.decode().split('<nav aria-label="', 1)[1].split("</nav>", 1)[0]
    for target in (
        reverse("courses:my_learning"),
        reverse("courses:catalogue"),
        reverse("assessments:my_competencies"),
    ):
        assert f'href="{target}"' in nav, (where, target)
    assert nav.count('aria-current="page"') == 1


def test_the_catalogue_link_opens_the_catalogue_in_the_learners_language(signed_in, catalogue, learner, english):
    response = signed_in.get(reverse("courses:catalogue"))
    assert response.status_code == 302 and response["Location"] == catalogue.url
    translated = translate(catalogue, english)
    learner.language = "en"
    learner.save()
    assert signed_in.get(reverse("courses:catalogue"))["Location"] == translated.url


def test_api_documentation_is_not_on_an_officers_home_page(signed_in, client, unit):
    from tests.factories import make_hr

    assert "/api/v1/docs" not in signed_in.get("/").content.decode()
    hr = make_hr("hr1", unit, unit)
    client.force_login(hr.user)
    assert "/api/v1/docs" in client.get("/").content.decode()


def test_assigned_courses_begun_are_in_progress(signed_in, course, learner, unit, django_capture_on_commit_callbacks):
    """'In progress: you have no course in progress' showed while assigned courses were being taken."""
    import datetime

    from courses.services.assignments import assignment_create
    from courses.services.progress import lesson_viewed
    from tests.factories import make_admin

    with django_capture_on_commit_callbacks(execute=True):
        assignment_create(
            actor=make_admin(), course=course, units=[unit], positions=[], due_date=datetime.date(2099, 1, 1)
        )
    dashboard = signed_in.get(reverse("courses:my_learning")).context["dashboard"]
    assert [r.course.pk for r in dashboard.assigned] == [course.pk]
    assert dashboard.in_progress == []
    body = signed_in.get(reverse("courses:my_learning")).content.decode()
    assert "You have no course in progress" not in body
    lesson_viewed(person=learner, lesson=lessons_of(course)[0])
    dashboard = signed_in.get(reverse("courses:my_learning")).context["dashboard"]
    assert [r.course.pk for r in dashboard.in_progress] == [course.pk]


def test_trainer_reads_lessons_behind_prerequisites_and_order_even_when_enrolled(client, catalogue, course, unit):
    # given a course behind a prerequisite, with lessons in a required order, and a trainer enrolled in it
    # who has completed neither (issue 18: the trainer got the 403 "locked" page)
    from tests.courses.conftest import make_course

    advanced = make_course(catalogue, title="Nâng cao", slug="advanced", sequential=True)
    advanced.prerequisites.add(course)
    advanced.save_revision().publish()
    first = make_lesson(advanced, title="Một", slug="adv-1", required=True)
    second = make_lesson(advanced, title="Hai", slug="adv-2", required=True)
    trainer = make_person("trainer2", unit, role="Trainers")
    enrolment_create(person=trainer, course=advanced)
    client.force_login(trainer.user)
    # then every lesson opens, with its body
    for lesson in (first, second):
        response = client.get(lesson.url)
        assert response.status_code == 200 and lesson.title in response.content.decode()
    # and a learner in the same position still finds them locked
    learner = make_person("learner2", unit)
    enrolment_create(person=learner, course=advanced)
    client.force_login(learner.user)
    assert client.get(first.url).status_code == 403
