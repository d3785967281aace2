"""seed_demo's H5P step: a few activities in demo lessons when the test material is there; a clear line when not."""

import io

import pytest

from courses.h5p import demo as h5p_demo
from courses.h5p.models import H5PActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_courses(db):
    from courses import demo as courses_demo
    from lms import demo as lms_demo

    lms_demo.seed()
    courses_demo.seed()


@pytest.mark.testdata
def test_the_demo_puts_h5p_activities_linked_to_competencies_in_lessons(demo_courses):
    out = io.StringIO()
    h5p_demo.seed(stdout=out)
    activities = H5PActivity.objects.filter(title__startswith="Demo H5P")
    assert activities.count() == 3
    assert all(a.competency_links.exists() for a in activities)
    for _file, title, _competencies, course_slug, lesson_slug in h5p_demo.DEMO_ACTIVITIES:
        lesson = h5p_demo._lesson(course_slug, lesson_slug)
        for page in [lesson, *lesson.get_translations()]:
            blocks = [b for b in page.specific.body if b.block_type == "h5p"]
            assert [b.value["activity"].title for b in blocks] == [title]
    assert "3 demo activities imported" in out.getvalue()
    # again: nothing changes
    again = io.StringIO()
    h5p_demo.seed(stdout=again)
    assert H5PActivity.objects.filter(title__startswith="Demo H5P").count() == 3
    assert "0 demo activities imported" in again.getvalue() and "0 lessons" in again.getvalue()


def test_without_the_test_material_the_demo_says_so(demo_courses, monkeypatch, tmp_path):
    monkeypatch.setenv("HOCSO_TESTDATA", str(tmp_path / "absent"))
    out = io.StringIO()
    h5p_demo.seed(stdout=out)
    assert not H5PActivity.objects.exists()
    assert "H5P: no demo activities, third-party test material not found at" in out.getvalue()
