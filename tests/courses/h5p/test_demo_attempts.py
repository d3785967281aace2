"""The demo's H5P attempts are played through the real intake, and count once per activity."""

import pytest

from assessments.models import Evidence
from assessments.sources import registry
from assessments.sources.demo import h5p_attempts_seed
from courses.h5p.models import H5PAttempt
from tests.factories import make_person

from .conftest import enrol

pytestmark = pytest.mark.django_db


def test_demo_learners_play_the_activities_and_each_counts_once(import_activity, learner, h5p_course):
    activity = import_activity("H5P.TrueFalse.h5p", competencies=[("NT1", 1.0)])
    others = [make_person(f"p{i}", learner.unit) for i in range(6)]
    for person in others:
        enrol(person, h5p_course)
    played = h5p_attempts_seed()
    assert played >= 7 and H5PAttempt.objects.filter(activity=activity).count() == played
    assert not H5PAttempt.objects.filter(completed_at__isnull=True).exists()
    assert not H5PAttempt.objects.filter(evidence_recorded_at__isnull=True).exists()
    assert {a.grading for a in H5PAttempt.objects.all()} == {"server"}
    assert {a.score_raw for a in H5PAttempt.objects.all()} == {0.0, 1.0}  # some answered wrong
    live = list(Evidence.objects.live().filter(source="h5p"))
    assert len(live) == len({(e.person_id, e.competency_id) for e in live}) == 7  # one result per person
    assert all(registry.resolvable([(e.person_id, e.source_ref) for e in live]).values())
    assert h5p_attempts_seed() == 0  # idempotent
