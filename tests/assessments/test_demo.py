from assessments import demo
from assessments.models import CompetencyScore, CompetencyScoreSnapshot, Evidence, TargetProfile
from assessments.selectors import current_framework, person_overview
from tests.factories import make_person


def test_demo_seed_is_idempotent_and_fills_the_pages(org, frameworks):
    learner = make_person("staff", org["FR"], position="Bí thư thứ hai")
    learner.employee_number = "CB0001"
    learner.save()
    make_person("other", org["JP"], position="Cán bộ đầu mối CNTT")
    demo.seed()
    counts = (Evidence.objects.count(), CompetencyScore.objects.count(), CompetencyScoreSnapshot.objects.count())
    assert TargetProfile.objects.count() == 5
    assert all(counts)
    demo.seed()
    assert (
        Evidence.objects.count(),
        CompetencyScore.objects.count(),
        CompetencyScoreSnapshot.objects.count(),
    ) == counts
    overview = person_overview(learner, current_framework("VN-DCF"))
    assert overview.profile.code == "desk-officer"
    assert all(row.score is not None for row in overview.rows)  # the demo learner has evidence everywhere
    assert overview.gaps  # …and gaps to close
    months = set(CompetencyScoreSnapshot.objects.filter(person=learner).values_list("month", flat=True))
    assert len(months) >= 20
