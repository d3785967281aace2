"""The H5P activity snippet in the Wagtail admin: upload goes through the import service."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.h5p.models import H5PActivity, H5PPackage

from .conftest import H5P_DIR, build_zip, toy_files

pytestmark = pytest.mark.django_db

ADD_URL = reverse("wagtailsnippets_h5p_h5pactivity:add")


def post_form(client, url, upload, **extra):
    from assessments.models import Competency

    nt1 = Competency.objects.get(framework__code="MOFA-DP", code="NT1")
    data = nested_form_data(
        {
            "title": "Oslo quiz",
            "pass_mark": 70,
            "grading_method": "highest",
            "band": "basic",
            "competency_links": inline_formset([{"competency": nt1.pk, "weight": 0.5}]),
            **extra,
        }
    )
    if upload is not None:
        data["package_file"] = upload
    return client.post(url, data)


@pytest.mark.testdata
def test_trainer_uploads_a_package_and_creates_an_activity(client, trainer):
    client.force_login(trainer.user)
    upload = SimpleUploadedFile("tf.h5p", (H5P_DIR / "H5P.TrueFalse.h5p").read_bytes())
    response = post_form(client, ADD_URL, upload)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = H5PActivity.objects.get()
    assert activity.title == "Oslo quiz" and activity.pass_mark == 70
    assert activity.package.main_library == "H5P.TrueFalse"
    assert list(activity.competency_links.values_list("competency__code", "weight")) == [("NT1", 0.5)]


def test_a_refused_upload_shows_the_reason_and_writes_nothing(client, trainer, h5p_storage):
    client.force_login(trainer.user)
    upload = SimpleUploadedFile("bad.h5p", build_zip(toy_files(**{"content/shell.php": b"<?php"})))
    response = post_form(client, ADD_URL, upload)
    assert response.status_code == 200
    assert "shell.php" in response.content.decode()
    assert not H5PActivity.objects.exists() and not H5PPackage.objects.exists()
    assert not h5p_storage.exists() or not any(h5p_storage.iterdir())


def test_creating_without_a_package_is_refused(client, trainer):
    client.force_login(trainer.user)
    response = post_form(client, ADD_URL, None)
    assert response.status_code == 200
    assert not H5PActivity.objects.exists()


@pytest.mark.testdata
def test_editing_keeps_the_package_when_no_file_is_given(client, trainer):
    from courses.h5p.services import h5p_activity_import

    activity = h5p_activity_import(path=H5P_DIR / "H5P.TrueFalse.h5p", title="Old")
    client.force_login(trainer.user)
    url = reverse("wagtailsnippets_h5p_h5pactivity:edit", args=[activity.pk])
    response = post_form(client, url, None, title="New")
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "New" and activity.package.main_library == "H5P.TrueFalse"


def test_staff_cannot_open_the_snippet_admin(client, learner):
    client.force_login(learner.user)
    response = client.get(ADD_URL)
    assert response.status_code in (302, 403)


@pytest.mark.testdata
def test_the_snippet_list_links_to_results_for_trainers(client, trainer):
    from courses.h5p.services import h5p_activity_import

    activity = h5p_activity_import(path=H5P_DIR / "H5P.TrueFalse.h5p", title="Oslo")
    client.force_login(trainer.user)
    response = client.get(reverse("wagtailsnippets_h5p_h5pactivity:list"))
    assert response.status_code == 200
    assert reverse("h5p:results", args=[activity.pk]) in response.content.decode()
