"""The lesson page's caches (route, body) stay correct: every change shows on the next request.

Each route change is tested twice: with the route version bumped by the signals (one process, or a shared
cache), and with the bump undone, as another process with its own cache would see it: the page's own query
must still catch the change (lms.routing).
"""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses.models import Enrolment, EnrolmentStatus
from courses.services.enrolment import enrolment_create
from lms.routing import _VERSION_KEY
from tests.courses.conftest import lessons_of, make_course, paragraph
from tests.courses.test_views import translate

# Pinned, published lesson with its body cached, enrolled learner with progress: session, user (with profile),
# the lesson (route re-checked in the same query: live, tree path, URL path, view restrictions), its course,
# the course's lessons, the enrolment with its progress.
LESSON_PAGE_CACHED_QUERIES = 6

SHARED = pytest.mark.parametrize("shared_cache", [True, False], ids=["version-bumped", "other-process"])


def apply(change, shared_cache: bool) -> None:
    """Make ``change``; without a shared cache, undo the route version bump as another process would not see it."""
    version = cache.get(_VERSION_KEY, 0)
    change()
    if not shared_cache:
        cache.set(_VERSION_KEY, version, None)


@pytest.fixture
def published(course):
    for i, lesson in enumerate(lessons_of(course), start=1):
        lesson.body = paragraph(f"Nội dung {i}")
        lesson.save_revision().publish()
    course.save_revision().publish()
    return course


@pytest.fixture
def reader(client, learner, published):
    enrolment_create(person=learner, course=published)
    client.force_login(learner.user)
    return client


def text(response) -> str:
    return response.content.decode()


def test_a_warm_lesson_page_runs_a_fixed_number_of_queries(reader, published, learner, django_assert_num_queries):
    first, second = lessons_of(published)[:2]
    reader.post(reverse("courses:lesson_complete", args=[first.pk]))
    reader.get(second.url)
    with django_assert_num_queries(LESSON_PAGE_CACHED_QUERIES):
        response = reader.get(second.url)
    assert response.status_code == 200 and "Nội dung 2" in text(response)


@SHARED
def test_a_publish_shows_on_the_next_request(reader, published, shared_cache):
    lesson = lessons_of(published)[0]
    assert "Nội dung 1" in text(reader.get(lesson.url))

    def change():
        lesson.title = "Bài đã sửa"
        lesson.body = paragraph("Nội dung mới")
        lesson.save_revision().publish()

    apply(change, shared_cache)
    body = text(reader.get(lesson.url))
    assert "Nội dung mới" in body and "Bài đã sửa" in body and "Nội dung 1" not in body


@SHARED
def test_an_unpublished_lesson_is_gone_on_the_next_request(reader, published, shared_cache):
    lesson = lessons_of(published)[0]
    assert reader.get(lesson.url).status_code == 200
    apply(lambda: lesson.unpublish(), shared_cache)
    assert reader.get(lesson.url).status_code == 404


@SHARED
def test_a_deleted_lesson_is_gone_on_the_next_request(reader, published, shared_cache):
    lesson = lessons_of(published)[0]
    url = lesson.url
    assert reader.get(url).status_code == 200
    apply(lambda: lesson.delete(), shared_cache)
    assert reader.get(url).status_code == 404


@SHARED
def test_a_moved_or_renamed_lesson_answers_at_its_new_address_only(reader, published, catalogue, shared_cache):
    first, second = lessons_of(published)[:2]
    old_first, old_second = first.url, second.url
    assert reader.get(old_first).status_code == 200 and reader.get(old_second).status_code == 200
    other = make_course(catalogue, title="Khoá khác", slug="other")
    other.save_revision().publish()

    def change():
        first.move(other, pos="last-child")
        second.slug = "bai-moi"
        second.save_revision().publish()

    apply(change, shared_cache)
    first.refresh_from_db()
    second.refresh_from_db()
    # the old addresses no longer serve the lessons (Wagtail's automatic redirects lead to the new ones)
    for old, new in ((old_first, first.url), (old_second, second.url)):
        response = reader.get(old)
        assert response.status_code in (301, 404)
        assert response.status_code == 404 or response["Location"] == new
    assert "Nội dung 2" in text(reader.get(second.url))


@SHARED
def test_a_view_restriction_shows_on_the_next_request(reader, published, shared_cache):
    lesson = lessons_of(published)[0]
    assert "Nội dung 1" in text(reader.get(lesson.url))
    apply(
        lambda: PageViewRestriction.objects.create(
            page=published, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau"
        ),
        shared_cache,
    )
    body = text(reader.get(lesson.url))
    assert "Nội dung 1" not in body and 'name="password"' in body


def test_a_completion_shows_on_the_next_request(reader, published):
    published.sequential = True
    published.save_revision().publish()
    first, second = lessons_of(published)[:2]
    assert reader.get(second.url).status_code == 403  # locked until the first is completed
    complete_form = f'action="{reverse("courses:lesson_complete", args=[first.pk])}"'
    assert complete_form in text(reader.get(first.url))
    reader.post(reverse("courses:lesson_complete", args=[first.pk]))
    assert complete_form not in text(reader.get(first.url))  # completed: the page says so instead
    response = reader.get(second.url)
    assert response.status_code == 200 and "Nội dung 2" in text(response)


def test_a_language_switch_shows_on_the_next_request(reader, published, english):
    lesson = lessons_of(published)[0]
    translate(published, english)
    translated = translate(lesson, english)
    assert "EN Bài 1" not in text(reader.get(lesson.url))
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "EN Bài 1" in text(reader.get(lesson.url))
    assert "EN Bài 1" in text(reader.get(translated.url))
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    body = text(reader.get(lesson.url))
    assert "EN Bài 1" not in body and "Nội dung 1" in body


@SHARED
def test_a_translation_published_later_replaces_the_fallback(reader, published, english, shared_cache):
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    translate(published, english)
    lesson = lessons_of(published)[0]
    # an English reader of the untranslated lesson gets the original by fallback
    assert "not yet available in your language" in text(reader.get(lesson.url))
    translated = {}
    apply(lambda: translated.setdefault("page", translate(lesson, english)), shared_cache)
    body = text(reader.get(translated["page"].url))
    assert "EN Bài 1" in body and "not yet available in your language" not in body


def test_a_permission_change_shows_on_the_next_request(reader, published, learner):
    lesson = lessons_of(published)[0]
    assert reader.get(lesson.url).status_code == 200
    Enrolment.objects.filter(person=learner).update(status=EnrolmentStatus.WITHDRAWN)
    response = reader.get(lesson.url)
    assert response.status_code == 302 and response["Location"] == published.url
    Enrolment.objects.filter(person=learner).update(status=EnrolmentStatus.ACTIVE)
    assert reader.get(lesson.url).status_code == 200
    learner.is_active = False
    learner.save()
    assert reader.get(lesson.url).status_code == 302


def test_the_cached_body_holds_no_per_request_token_or_nonce(reader, published):
    lesson = lessons_of(published)[0]
    first = reader.get(lesson.url)
    second = reader.get(lesson.url)
    cached = cache.get(f"courses:lesson-body:{lesson.pk}:{lesson.live_revision_id}:vi")
    assert cached and "Nội dung 1" in cached
    assert "csrfmiddlewaretoken" not in cached
    for response in (first, second):
        assert "csrfmiddlewaretoken" in text(response)  # the completion form, rendered outside the cached body
        for nonce in re.findall(r"'nonce-([^']+)'", response.get("Content-Security-Policy", "")):
            assert nonce not in cached
