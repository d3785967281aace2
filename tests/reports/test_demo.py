from lms import demo as lms_demo
from reports import demo
from reports.models import AuditEntry, EvaluationPeriod


def test_demo_opens_one_ministry_period_for_2026(db):
    lms_demo.seed()
    demo.seed()
    demo.seed()
    period = EvaluationPeriod.objects.get()
    assert period.unit.code == "BNG" and period.status == "open"
    assert (period.starts_on.isoformat(), period.ends_on.isoformat()) == ("2026-01-01", "2026-12-31")
    assert period.opened_by.username == "admin"
    assert AuditEntry.objects.filter(action="evaluation.open").count() == 1
