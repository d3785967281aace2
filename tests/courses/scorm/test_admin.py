"""The SCORM activity snippet in the Wagtail admin: the upload goes through the import service."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.scorm.models import SCORMActivity, SCORMPackage

from .conftest import build_zip, toy_12

pytestmark = pytest.mark.django_db

ADD_URL = reverse("wagtailsnippets_scorm_scormactivity:add")


def post_form(client, url, upload, **extra):
    from assessments.models import Competency

    nt1 = Competency.objects.get(framework__code="MOFA-DP", code="NT1")
    data = nested_form_data(
        {
            "title": "Portal basics",
            "pass_mark": 70,
            "band": "intermediate",
            "competency_links": inline_formset([{"competency": nt1.pk, "weight": 0.5}]),
            **extra,
        }
    )
    if upload is not None:
        data["package_file"] = upload
    return client.post(url, data)


def test_trainer_uploads_a_package(client, trainer):
    client.force_login(trainer.user)
    response = post_form(client, ADD_URL, SimpleUploadedFile("toy.zip", build_zip(toy_12())))
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = SCORMActivity.objects.get()
    assert (activity.title, activity.pass_mark, activity.band) == ("Portal basics", 70, "intermediate")
    assert activity.package.version == "1.2"
    assert list(activity.competency_links.values_list("competency__code", "weight")) == [("NT1", 0.5)]


def test_a_refused_upload_shows_the_reason_and_writes_nothing(client, trainer, scorm_storage):
    client.force_login(trainer.user)
    upload = SimpleUploadedFile("bad.zip", build_zip(toy_12(**{"two.html": None})))
    response = post_form(client, ADD_URL, upload)
    assert response.status_code == 200
    assert "two.html" in response.content.decode()
    assert not SCORMActivity.objects.exists() and not SCORMPackage.objects.exists()
    assert not scorm_storage.exists() or not any(scorm_storage.iterdir())


def test_creating_without_a_package_is_refused(client, trainer):
    client.force_login(trainer.user)
    assert post_form(client, ADD_URL, None).status_code == 200
    assert not SCORMActivity.objects.exists()


def test_staff_cannot_open_the_snippet_admin(client, learner):
    client.force_login(learner.user)
    assert client.get(ADD_URL).status_code in (302, 403)
