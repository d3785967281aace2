"""Finished attempts become competency evidence (source "h5p"), self-reported where not regraded."""

import json
import uuid

import pytest
from django.urls import reverse

from assessments.models import CompetencyScore, Evidence

from .conftest import captured

pytestmark = pytest.mark.django_db
URL = reverse("h5p:statements")


def post(client, statement):
    return client.post(
        URL,
        json.dumps(dict(statement, id=str(uuid.uuid4()))),
        content_type="application/json",
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )


def test_server_graded_attempt_records_evidence_and_updates_the_score(client, learner, import_activity):
    activity = import_activity("H5P.Blanks.h5p", competencies=[("NT1", 1.0), ("VN-DCF/1.1", 0.5)])
    client.force_login(learner.user)
    for statement in captured("H5P.Blanks.statements.json", activity.pk):
        assert post(client, statement).status_code == 200
    rows = Evidence.objects.filter(person=learner).order_by("weight")
    assert [(r.competency.code, round(r.score, 4), r.weight, r.source, r.self_reported) for r in rows] == [
        ("1.1", 0.6667, 0.5, "h5p", False),
        ("NT1", 0.6667, 1.0, "h5p", False),
    ]
    attempt_id = activity.attempts.get().pk
    assert {r.source_ref for r in rows} == {f"h5p-attempt:{attempt_id}"}
    assert CompetencyScore.objects.filter(person=learner).count() == 2


def test_self_reported_attempt_records_self_reported_evidence(client, learner, import_activity):
    activity = import_activity("H5P.CoursePresentation.h5p", competencies=[("NT2", 1.0)])
    client.force_login(learner.user)
    statement = {
        "actor": {"name": "x", "mbox": "mailto:x@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"http://testserver/h5p/activities/{activity.pk}/"},
        "result": {"score": {"raw": 3, "min": 0, "max": 4}},
    }
    assert post(client, statement).status_code == 200
    evidence = Evidence.objects.get(person=learner)
    assert evidence.self_reported and evidence.score == 0.75 and evidence.source == "h5p"


def test_refused_statements_record_no_evidence(client, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)])
    client.force_login(learner.user)
    answered = captured("H5P.TrueFalse.statements.json", activity.pk)[2]
    answered["result"]["score"]["scaled"] = 5
    assert post(client, answered).status_code == 400
    assert not Evidence.objects.exists()


def test_activity_without_competencies_records_none(client, learner, import_activity):
    activity = import_activity("H5P.TrueFalse.h5p")
    client.force_login(learner.user)
    for statement in captured("H5P.TrueFalse.statements.json", activity.pk):
        post(client, statement)
    assert activity.attempts.get().score_raw == 1
    assert not Evidence.objects.exists()
