import pytest
from wagtail.models import Locale, Page

from courses.models import CourseIndexPage, CoursePage, LessonPage
from tests.factories import make_person, make_unit


def paragraph(text: str) -> list:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def make_catalogue() -> CourseIndexPage:
    from courses.demo import site_root  # rebuilds the Wagtail tree after a transactional test flushed it

    existing = CourseIndexPage.objects.first()
    if existing:
        return existing
    root = site_root()
    return root.add_child(instance=CourseIndexPage(title="Khoá học", slug="courses"))


def make_course(index=None, title="Cổng thông tin điện tử", slug=None, **fields) -> CoursePage:
    index = index or make_catalogue()
    fields.setdefault("summary", "Tóm tắt khoá học")
    return index.add_child(
        instance=CoursePage(title=title, slug=slug or title.lower().replace(" ", "-")[:40], **fields)
    )


def make_lesson(course, title="Bài 1", body=None, **fields) -> LessonPage:
    slug = fields.pop("slug", None) or f"lesson-{LessonPage.objects.count() + 1}"
    return course.add_child(instance=LessonPage(title=title, slug=slug, body=body or paragraph(title), **fields))


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are checked in English; requests still pick their own language in the middleware."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def catalogue(db):
    return make_catalogue()


@pytest.fixture
def course(catalogue):
    course = make_course(catalogue, title="Cổng thông tin điện tử", slug="portal")
    for i in range(1, 4):
        make_lesson(course, title=f"Bài {i}", slug=f"bai-{i}")
    return course


@pytest.fixture
def unit(db):
    return make_unit("BNG", kind="ministry", name_vi="Bộ Ngoại giao")


@pytest.fixture
def learner(unit):
    return make_person("learner", unit, full_name="Nguyễn Thị Hồng Nhung")


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


__all__ = ["Page", "make_catalogue", "make_course", "make_lesson", "lessons_of", "paragraph"]
