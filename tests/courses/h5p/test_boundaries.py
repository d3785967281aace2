"""Malformed bodies at the H5P intake and the resume-state endpoint answer 400 with a reason and write
nothing (issue 18: each of these answered 500). On PostgreSQL (DATABASE_URL) as well as SQLite."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from assessments.xapi.models import Statement
from courses.h5p.models import H5PActivity, H5PStatement, H5PUserData

from .conftest import captured

pytestmark = pytest.mark.django_db
V = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}


@pytest.fixture
def activity(import_activity):
    return import_activity("H5P.TrueFalse.h5p", title="Oslo")


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner.user)
    return client


def nothing_written():
    return not Statement.objects.exists() and not H5PStatement.objects.exists() and not H5PUserData.objects.exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[" * 315 + "]" * 315, "32"),  # 630 bytes nested 315 levels deep
        ('{"id": "\\ud800"}', "UTF-16"),
        ('[{"id": "a\\u0000"}]', "NUL"),
        ("[" + "9" * 400 + "]", "9999"),
    ],
)
def test_the_intake_refuses_malformed_json_with_a_reason(signed_in, activity, body, reason):
    response = signed_in.post(reverse("h5p:statements"), data=body, content_type="application/json", **V)
    assert response.status_code == 400, response.content
    assert reason in response.json()["error"]["message"]
    assert nothing_written()


def test_a_lone_surrogate_inside_a_real_statement_is_refused(signed_in, activity):
    statement = dict(captured("H5P.TrueFalse.statements.json", activity.pk)[0], id=str(uuid.uuid4()))
    text = json.dumps(statement).replace('"en-US": "', '"en-US": "\\ud800', 1)
    assert "\\ud800" in text
    response = signed_in.post(reverse("h5p:statements"), data=text, content_type="application/json", **V)
    assert response.status_code == 400 and "UTF-16" in response.json()["error"]["message"]
    assert nothing_written()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"dataType": "state", "subContentId": "0", "data": ' + "[" * 1500 + "]" * 1500 + "}", "16"),
        ('{"dataType": "state", "subContentId": "0", "data": "{\\"a\\": \\"\\ud800\\"}"}', "UTF-16"),
        ('{"dataType": "state", "subContentId": "0", "data": "a\\u0000"}', "NUL"),
        ('{"dataType": "st\\u0000ate", "subContentId": "0", "data": "{}"}', "NUL"),
    ],
)
def test_resume_state_refuses_malformed_json_with_a_reason(signed_in, activity, body, reason):
    response = signed_in.post(reverse("h5p:state", args=[activity.pk]), data=body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert reason in response.json()["detail"]
    assert not H5PUserData.objects.exists()


def test_a_wagtail_chooser_given_a_non_numeric_id_answers_400(activity, trainer):
    client = Client()
    client.force_login(trainer.user)
    base = "/admin/snippets/choose/h5p/h5pactivity/chosen/"
    response = client.get(base + "abc/")
    assert response.status_code == 400 and "pk" in response.content.decode()
    assert client.get(base + "99999999999999999999999/").status_code == 400
    assert client.get(base + f"{H5PActivity.objects.get().pk}/").status_code == 200
