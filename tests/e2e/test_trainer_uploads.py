"""A trainer uploads a screenshot from a walkthrough block of a lesson, in the admin's image chooser."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage

from tests.e2e.conftest import sign_in


@pytest.fixture
def demo(transactional_db, settings):
    from wagtail.models import Collection

    from courses import demo as courses_demo
    from lms import demo as lms_demo
    from lms.roles import sync_roles

    # an earlier transactional test's flush removed the root collection the migrations made: rebuild it and
    # give the roles their collection permissions again, as the post-migrate sync does
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    sync_roles()
    lms_demo.seed()
    courses_demo.seed()
    return settings.DEMO_PASSWORD


def walkthrough_lesson():
    from courses.models import LessonPage

    for lesson in LessonPage.objects.filter(locale__language_code="vi").order_by("path"):
        raw = list(lesson.body.raw_data)
        for block in raw:
            if block["type"] == "walkthrough":
                # The demo draws every step's screenshot: empty the first step's, for the trainer to upload one.
                step = block["value"]["steps"][0]
                step = step["value"] if "value" in step and isinstance(step["value"], dict) else step
                step["screenshot"] = None
                lesson.body = raw
                lesson.save_revision().publish()
                return lesson
    raise AssertionError("the demo has no lesson with a walkthrough")


def test_a_trainer_uploads_a_walkthrough_screenshot(page, demo, tmp_path):
    from wagtail.images import get_image_model

    picture = tmp_path / "buoc-1.png"
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), (30, 90, 160)).save(buffer, "PNG")
    picture.write_bytes(buffer.getvalue())
    lesson = walkthrough_lesson()

    sign_in(page, "trainer", demo)
    page.goto(f"/admin/pages/{lesson.pk}/edit/")
    screenshot = page.locator('[data-contentpath="screenshot"]').first
    screenshot.scroll_into_view_if_needed()
    screenshot.locator("[data-chooser-action-choose]").click()
    modal = page.locator(".modal-content")
    modal.locator("#tab-label-upload").click()
    modal.locator('input[type="file"]').set_input_files(str(picture))
    modal.locator('input[name$="title"]').fill("Bước 1: đăng nhập")
    modal.locator('#tab-upload form button[type="submit"], #tab-upload form input[type="submit"]').first.click()
    page.wait_for_selector(".modal-content", state="detached")

    image = get_image_model().objects.get(title="Bước 1: đăng nhập")
    assert image.uploaded_by_user.username == "trainer"
    assert screenshot.locator("[data-chooser-title]").inner_text().strip() == "Bước 1: đăng nhập"
