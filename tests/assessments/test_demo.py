from assessments import demo
from assessments.models import Evidence, TargetProfile


def test_demo_profiles_are_idempotent_and_invent_no_evidence(org, frameworks):
    demo.seed()
    demo.seed()
    assert TargetProfile.objects.count() == 5
    assert not Evidence.objects.exists()  # evidence comes from the demo's activity (tests/assessments/sources)
