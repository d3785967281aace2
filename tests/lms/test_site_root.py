"""/learn/ (the Wagtail site's root) shows HocSo's own page, never Wagtail's placeholder (issue 18)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_of_learn_reach_the_product_not_a_placeholder(client):
    response = client.get("/learn/", follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and "Wagtail" not in body
    assert response.redirect_chain[0] == ("/", 302) and response.request["PATH_INFO"] == "/accounts/login/"


def test_no_placeholder_title_is_left_in_the_page_tree(client):
    call_command("setup_course_catalogue")
    assert not Page.objects.filter(title__icontains="Welcome to your new Wagtail site").exists()
    assert Page.objects.get(depth=2).title == "HocSo"
