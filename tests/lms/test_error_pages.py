"""Refusals and errors show the product's own pages in the reader's language, never Django's debug page."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import path

from lms import roles
from tests.factories import make_person, make_unit

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a defect")


def refuse(request):
    raise PermissionDenied


def _urlpatterns():
    from lms.urls import urlpatterns as product

    return [path("boom/", boom), path("refuse/", refuse), *product]


urlpatterns = _urlpatterns()


@pytest.fixture
def signed_in(client):
    person = make_person("staff", make_unit("PAR", kind="embassy"), role=roles.STAFF)
    client.force_login(person.user)
    return client


@pytest.mark.parametrize("language, heading", [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_not_found_is_our_page_in_the_readers_language(signed_in, language, heading):
    signed_in.cookies["django_language"] = language
    response = signed_in.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html  # the product's layout, with its navigation


@pytest.mark.urls("tests.lms.test_error_pages")
@pytest.mark.parametrize("language, heading", [("vi", "Không được phép"), ("en", "Not allowed")])
def test_a_refusal_is_our_page(signed_in, language, heading):
    signed_in.cookies["django_language"] = language
    response = signed_in.get("/refuse/")
    assert response.status_code == 403
    assert f"<h1>{heading}</h1>" in response.content.decode()


@pytest.mark.urls("tests.lms.test_error_pages")
@pytest.mark.parametrize("language, heading", [("vi", "Đã có lỗi xảy ra"), ("en", "Something went wrong")])
def test_a_server_error_is_our_page(client, language, heading):
    client.raise_request_exception = False
    client.cookies["django_language"] = language
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html and "Traceback" not in html


def test_the_demo_profile_runs_without_the_debug_page():
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
    probe = "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps(s.DEBUG))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) is False
