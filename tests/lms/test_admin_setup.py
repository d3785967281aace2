"""What a trainer meets in the admin: uploads allowed, a named dashboard, ASCII slugs, no autosaved stray
drafts, and an admin that calls nothing outside the host (no Gravatar, no release check)."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Site

from courses.models import LessonPage
from lms import roles
from tests.courses.conftest import make_catalogue, make_course
from tests.factories import make_person, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(db):
    return make_person("trainer", make_unit("TRN"), role=roles.TRAINERS)


@pytest.fixture
def course(db):
    from courses.services.authoring import catalogue_authoring_setup

    catalogue = make_catalogue()
    catalogue_authoring_setup(catalogue=catalogue)
    return make_course(catalogue, title="Chữ ký số", slug="chu-ky-so")


def test_trainers_may_upload_and_choose_images_and_documents(trainer):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    for model in (get_image_model(), get_document_model()):
        policy = policy_registry.get_by_type(model)
        for action in ("add", "choose", "change"):
            assert policy.user_has_permission(trainer.user, action), (model, action)


def test_the_image_chooser_offers_the_upload_tab_to_trainers(client, trainer):
    client.force_login(trainer.user)
    html = client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
    assert re.search(r'<form[^>]+action="[^"]*/images/chooser/create/', html), "no upload form"


def test_the_dashboard_carries_the_site_name_not_the_host(client, trainer):
    assert Site.objects.get(is_default_site=True).site_name == "HocSo"
    client.force_login(trainer.user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert heading.strip() == "HocSo"


def test_slugs_made_from_vietnamese_titles_are_ascii(course, client, trainer):
    client.force_login(trainer.user)
    form = client.get(reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])).content.decode()
    slug_input = re.search(r'<input[^>]+name="slug"[^>]*>', form).group(0)
    assert "data-w-slug-allow-unicode-value" not in slug_input  # the admin's slugify keeps ASCII only
    lesson = LessonPage(title="An toàn thông tin khi ký số")
    course.add_child(instance=lesson)
    assert lesson.slug == "an-toan-thong-tin-khi-ky-so"


def test_an_add_form_left_unsaved_autosaves_nothing(course, client, trainer):
    client.force_login(trainer.user)
    form = client.get(reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])).content.decode()
    assert "data-w-autosave-interval-value" not in form
    assert not LessonPage.objects.exists()


def test_the_admin_makes_no_request_outside_the_host(client, trainer):
    from wagtail.admin.views.home import UpgradeNotificationPanel
    from wagtail.users.utils import get_gravatar_url

    assert get_gravatar_url("trainer@example.org") is None
    client.force_login(trainer.user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "gravatar" not in html.lower()
    assert UpgradeNotificationPanel().get_upgrade_check_setting() is False
