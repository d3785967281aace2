"""The demo is built from real activity: every evidence row opens to its source."""

import pytest

from assessments.models import CompetencyScoreSnapshot, Evidence
from assessments.selectors import current_framework, person_overview
from assessments.sources import registry
from assessments.sources.models import ManualAssessment
from lms.extensions import optional_modules
from lms.models import StaffProfile
from reports.models import AuditEntry

pytestmark = pytest.mark.django_db


def seed_all():
    for module in optional_modules("demo"):
        module.seed()


def test_every_demo_evidence_row_resolves_to_its_source():
    seed_all()
    rows = list(Evidence.objects.values_list("person_id", "source_ref", "source"))
    assert len(rows) > 500
    resolved = registry.resolvable((person, ref) for person, ref, _source in rows)
    unresolved = sorted({ref for key, ok in resolved.items() if not ok for ref in [key[1]]})
    assert unresolved == []
    assert {source for *_, source in rows} >= {"quiz", "manual"}
    assert not Evidence.objects.filter(source_ref__startswith="demo:").exists()
    # every practical assessment went through the audited service
    assert ManualAssessment.objects.exists()
    assert ManualAssessment.objects.filter(audit_entry__isnull=True).count() == 0
    assert AuditEntry.objects.filter(action="competency.manual_assessment").count() == ManualAssessment.objects.count()
    # …and seeding again adds nothing
    counts = (Evidence.objects.count(), ManualAssessment.objects.count(), CompetencyScoreSnapshot.objects.count())
    seed_all()
    assert (
        Evidence.objects.count(),
        ManualAssessment.objects.count(),
        CompetencyScoreSnapshot.objects.count(),
    ) == counts
    # the demo learner has results, gaps to close and a history
    learner = StaffProfile.objects.get(user__username="staff")
    overview = person_overview(learner, current_framework("VN-DCF"))
    assert overview.profile.code == "desk-officer"
    assert sum(row.score is not None for row in overview.rows) >= 5 and overview.gaps
    assert CompetencyScoreSnapshot.objects.filter(person=learner).values("month").distinct().count() >= 6
