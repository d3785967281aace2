"""Course and lesson pages run a fixed number of queries whatever the number of lessons, enrolments or blocks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from courses.services.enrolment import enrolment_create
from courses.services.progress import lesson_complete
from tests.courses.conftest import lessons_of, make_lesson
from tests.factories import make_person

# Pinned: session, user with profile, the routed page (lms.routing: one query once the route is cached,
# view restrictions included), the course, the course outline (lessons, enrolment with its progress),
# the uncached body's images and their renditions (two per image block type).
LESSON_PAGE_QUERIES = 12
COURSE_PAGE_QUERIES = 10  # with the course's quizzes (assessments.quizzes course_quizzes tag)
DASHBOARD_QUERIES = 10


def rich_body(images, n):
    body = []
    for i in range(n):
        image = images[i % len(images)]
        body += [
            {"type": "heading", "value": {"text": f"Phần {i}", "level": "h2"}},
            {"type": "paragraph", "value": f"<p>Đoạn {i}</p>"},
            {"type": "image", "value": {"image": image.pk, "alt_text": "Màn hình", "caption": "Hình"}},
            {"type": "callout", "value": {"kind": "policy", "text": "<p>Quy định</p>"}},
            {
                "type": "walkthrough",
                "value": {
                    "title": "Ký số",
                    "steps": [
                        {"screenshot": image.pk, "screenshot_alt": "Bước", "instruction": "<p>Nhấn Ký</p>"}
                        for _ in range(3)
                    ],
                },
            },
            {"type": "self_check", "value": {"question": "?", "choices": ["A", "B"], "correct": 1, "explanation": ""}},
        ]
    return body


@pytest.fixture
def images(db):
    Image = get_image_model()
    return [Image.objects.create(title=f"img{i}", file=get_test_image_file(filename=f"s{i}.png")) for i in range(3)]


def measure(client, url) -> int:
    client.get(url)  # warm caches and create renditions once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(course, unit, images, lessons=6, blocks=5, people=20):
    for i in range(lessons):
        make_lesson(course, title=f"Thêm {i}", slug=f"more-{i}", body=rich_body(images, blocks))
    for i in range(people):
        person = make_person(f"p{i}", unit)
        enrolment_create(person=person, course=course)
        lesson_complete(person=person, lesson=lessons_of(course)[0])


def test_lesson_page_queries_do_not_grow(client, course, learner, unit, images, django_assert_num_queries):
    enrolment_create(person=learner, course=course)
    first = lessons_of(course)[0]
    first.body = rich_body(images, 1)
    first.save()
    lesson_complete(person=learner, lesson=first)
    client.force_login(learner.user)
    small = measure(client, first.url)
    assert small == LESSON_PAGE_QUERIES

    grow(course, unit, images)
    first.body = rich_body(images, 10)
    first.save()
    lesson_complete(person=learner, lesson=lessons_of(course)[1])
    client.get(first.url)
    with django_assert_num_queries(small):
        assert client.get(first.url).status_code == 200


def test_course_page_queries_do_not_grow(client, course, learner, unit, images, django_assert_num_queries):
    enrolment_create(person=learner, course=course)
    client.force_login(learner.user)
    small = measure(client, course.url)
    assert small == COURSE_PAGE_QUERIES
    grow(course, unit, images)
    lesson_complete(person=learner, lesson=lessons_of(course)[2])
    client.get(course.url)
    with django_assert_num_queries(small):
        assert client.get(course.url).status_code == 200


def test_dashboard_queries_do_not_grow(client, catalogue, learner, unit, django_assert_num_queries):
    from django.urls import reverse

    from tests.courses.conftest import make_course

    def add_course(i):
        course = make_course(catalogue, title=f"Khoá {i}", slug=f"k{i}")
        make_lesson(course, slug=f"k{i}-1")
        make_lesson(course, slug=f"k{i}-2")
        return course

    from assessments.models import Competency

    competencies = list(Competency.objects.filter(framework__is_current=True)[:3])
    enrolment_create(person=learner, course=add_course(0))
    recommended = add_course(100)  # not taken: recommended, ranked by the learner's weak competencies
    recommended.target_competencies.set(competencies[:1])
    recommended.save()
    client.force_login(learner.user)
    small = measure(client, reverse("courses:my_learning"))
    assert small == DASHBOARD_QUERIES
    for i in range(1, 6):
        course = add_course(i)
        enrolment_create(person=learner, course=course)
        if i % 2:
            for lesson in lessons_of(course):
                lesson_complete(person=learner, lesson=lesson)
        other = add_course(100 + i)
        other.target_competencies.set(competencies)
        other.save()
    with django_assert_num_queries(small):
        client.get(reverse("courses:my_learning"))


def test_published_lesson_body_is_cached_per_revision(client, course, learner, images, django_assert_num_queries):
    enrolment_create(person=learner, course=course)
    first = lessons_of(course)[0]
    first.body = rich_body(images, 3)
    first.save_revision().publish()
    client.force_login(learner.user)
    cached = measure(client, first.url)
    assert cached < LESSON_PAGE_QUERIES  # no image or rendition queries once the body is cached
    # a new revision is rendered afresh, and a bigger body costs no more queries
    first = lessons_of(course)[0]
    first.body = [{"type": "paragraph", "value": "<p>Nội dung mới</p>"}, *rich_body(images, 12)]
    first.save_revision().publish()
    body = client.get(first.url).content.decode()
    assert "Nội dung mới" in body and "Phần 11" in body
    with django_assert_num_queries(cached):
        client.get(first.url)
