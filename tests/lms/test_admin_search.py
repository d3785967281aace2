"""Snippet search in the admin (listings and the choosers in the H5P activity and question forms) finds
competencies, questions and H5P activities by code or name, in both languages, whatever the accents."""

import re

import pytest
from django.urls import reverse

from lms import roles
from lms.search import fold
from tests.assessments.quizzes.conftest import make_question
from tests.factories import make_person, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(client):
    from assessments.services.frameworks import frameworks_ensure

    frameworks_ensure()
    trainer = make_person("trainer", make_unit("TRN"), role=roles.TRAINERS)
    client.force_login(trainer.user)
    return client


def chooser_rows(client, model: str, query: str) -> str:
    url = reverse(f"wagtailsnippetchoosers_{model}:choose_results")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return response.content.decode()  # the results fragment is plain HTML


def test_fold_drops_vietnamese_accents_and_case():
    assert fold("Sử dụng CHỮ KÝ SỐ, Đăng nhập") == "su dung chu ky so, dang nhap"


@pytest.mark.parametrize("query", ["chữ ký số", "chu ky so", "CHỮ KÝ", "NT3", "nt3", "digital signatures"])
def test_the_competency_chooser_finds_by_code_or_name_in_both_languages(trainer_client, query):
    assert "Sử dụng chữ ký số" in chooser_rows(trainer_client, "assessments_competency", query)


def test_the_competency_chooser_has_a_search_box_and_finds_nothing_for_nonsense(trainer_client):
    page = trainer_client.get(reverse("wagtailsnippetchoosers_assessments_competency:choose")).json()["html"]
    assert re.search(r'<input[^>]+name="q"', page)
    assert "Sử dụng chữ ký số" not in chooser_rows(trainer_client, "assessments_competency", "zzqx")


def test_the_question_chooser_and_listing_find_a_question_by_its_words(trainer_client):
    make_question(title="Ký số văn bản đi", stem="<p>Khi nào cần ký số?</p>")
    make_question(title="Cổng thông tin")
    rows = chooser_rows(trainer_client, "quizzes_question", "ky so")
    assert "Ký số văn bản đi" in rows and "Cổng thông tin" not in rows
    listing = trainer_client.get(reverse("wagtailsnippets_quizzes_question:list"), {"q": "KY SO"}).content.decode()
    assert "Ký số văn bản đi" in listing and "Cổng thông tin" not in listing


def test_the_h5p_activity_chooser_searches_titles(trainer_client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courses.h5p.models import H5PActivity
    from courses.h5p.services import h5p_package_import
    from tests.courses.h5p.conftest import build_zip, toy_files

    settings.H5P_STORAGE_ROOT = str(tmp_path)
    package, _created = h5p_package_import(uploaded_file=SimpleUploadedFile("toy.h5p", build_zip(toy_files())))
    H5PActivity.objects.create(title="Chữ ký số: đúng hay sai", package=package)
    H5PActivity.objects.create(title="Cổng thông tin", package=package)
    rows = chooser_rows(trainer_client, "h5p_h5pactivity", "chu ky")
    assert "Chữ ký số: đúng hay sai" in rows and "Cổng thông tin" not in rows
