"""Quiz evidence opens to its attempt: the learner reaches their review, HR the points per question."""

import pytest

from assessments.models import Evidence
from assessments.quizzes.services import attempts as services
from tests.factories import make_hr

pytestmark = pytest.mark.django_db


def test_quiz_evidence_opens_to_the_attempt(client, quiz, learner, unit):
    attempt, _ = services.attempt_start(person=learner, quiz=quiz)
    services.attempt_submit(attempt_id=attempt.pk, person=learner)
    rows = list(Evidence.objects.filter(person=learner))
    assert rows and {r.source_ref for r in rows} == {f"quiz-attempt:{attempt.pk}"}
    client.force_login(learner.user)
    response = client.get(f"/people/{learner.pk}/evidence/{rows[0].pk}/")
    assert response.status_code == 200
    resolved = response.context["resolved"]
    assert resolved.context["attempt"] == attempt and len(resolved.context["questions"]) == attempt.items.count()
    assert resolved.open_url.endswith(f"attempt/{attempt.pk}/")  # the learner's own review
    hr = make_hr("hr_all", unit, unit)
    client.force_login(hr.user)
    response = client.get(f"/people/{learner.pk}/evidence/{rows[0].pk}/")
    assert response.status_code == 200 and response.context["resolved"].open_url is None
