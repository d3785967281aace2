"""The H5P block in lesson bodies."""

import pytest

from courses.h5p.blocks import H5PActivityBlock
from courses.h5p.selectors import activity_playable, lessons_using

from .conftest import place_in_lesson

pytestmark = pytest.mark.django_db


def test_lesson_with_an_h5p_block_renders_a_launcher_without_personal_data(
    client, learner, import_activity, h5p_course
):
    activity = import_activity("H5P.TrueFalse.h5p", place=False, title="Oslo")
    lesson = place_in_lesson(h5p_course, activity)
    client.force_login(learner.user)
    response = client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-launch-url="/h5p/activities/{activity.pk}/launch"' in html
    assert "Interactive activity: Oslo" in html or "Hoạt động tương tác: Oslo" in html
    assert "/h5p/play/" not in html and learner.employee_number not in html.split("<main", 1)[1]


def test_lessons_using_finds_live_lessons_only(import_activity, h5p_course):
    activity = import_activity("H5P.TrueFalse.h5p", place=False)
    lesson = place_in_lesson(h5p_course, activity)
    assert list(lessons_using(activity)) == [lesson]
    lesson.unpublish()
    assert list(lessons_using(activity)) == []


def test_trainers_may_preview_any_activity(trainer, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p", place=False)
    assert activity_playable(trainer.user, activity)


def test_block_meta_describes_itself():
    block = H5PActivityBlock()
    assert block.meta.template == "h5p/blocks/h5p_activity.html"
    assert block.meta.icon and block.meta.description
