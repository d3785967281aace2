"""In a browser: a period evaluated as of its end, coverage on the page, closing asks first; reassessment due.

Screenshots go to $HOCSO_SCREENSHOTS when set (to look at the pages), nowhere otherwise.
"""

import datetime
import os
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Competency, Framework, ProficiencyLevel, TargetProfile, TargetRequirement
from assessments.services.evidence import EvidenceItem, evidence_record
from assessments.services.frameworks import frameworks_ensure
from reports.models import EvaluationRecord, PeriodStatus
from reports.services.evaluation import evaluation_period_open
from tests.e2e.conftest import sign_in
from tests.factories import make_hr, make_person, make_unit, source_ref

PASSWORD = "correct horse battery staple"


def shot(page, name):
    folder = os.environ.get("HOCSO_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.fixture
def world(transactional_db):
    frameworks_ensure()
    vn = Framework.objects.get(code="VN-DCF", is_current=True)
    comps = {c.code: c for c in Competency.objects.filter(framework=vn)}
    levels = {lv.rank: lv for lv in ProficiencyLevel.objects.filter(framework=vn)}
    bng = make_unit("BNG", kind="ministry", name_vi="Bộ Ngoại giao")
    fr = make_unit("FR", bng, kind="embassy", name_vi="Đại sứ quán tại Pháp")
    hr = make_hr("hr_fr", bng, fr)
    profile = TargetProfile.objects.create(
        framework=vn, code="cv", name_vi="Chuyên viên", name_en="Officer", positions="Chuyên viên"
    )
    TargetRequirement.objects.create(profile=profile, competency=comps["1.1"], level=levels[4])
    TargetRequirement.objects.create(profile=profile, competency=comps["1.2"], level=levels[2])
    measured = make_person("lan", fr, full_name="Nguyễn Thị Lan")
    unmeasured = make_person("binh", fr, full_name="Trần Văn Bình")
    when = timezone.make_aware(datetime.datetime(2025, 3, 10, 10))
    for i, (code, band) in enumerate((("1.1", "intermediate"), ("1.2", "basic"))):
        evidence_record(
            person=measured,
            items=[EvidenceItem(comps[code].pk, 0.9, band=band), EvidenceItem(comps[code].pk, 0.9, band=band)],
            source="manual",
            source_ref=source_ref(measured, f"q{i}"),
            recorded_at=when,
        )
    # One competency of Bình's, measured only after the period.
    evidence_record(
        person=unmeasured,
        items=[EvidenceItem(comps["1.1"].pk, 1.0, band="specialised")] * 2,
        source="manual",
        source_ref=source_ref(unmeasured, "q9"),
        recorded_at=timezone.now() - timedelta(days=1),
    )
    period = evaluation_period_open(
        actor=hr.user,
        unit=fr,
        name="6 tháng đầu năm 2025",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 6, 30),
        framework=vn,
    )
    return {"period": period, "fr": fr, "measured": measured, "unmeasured": unmeasured}


def test_hr_sees_coverage_and_confirms_what_closing_freezes(page, world):
    period = world["period"]
    sign_in(page, "hr_fr", PASSWORD)
    page.goto(f"/reports/evaluations/{period.pk}/")
    table = page.locator("table").last.inner_text()
    # Coverage (%) is the ninth column (reports.tables.evaluation_headers): Lan fully measured as of 30/06/2025,
    # Bình not at all (his evidence came later).
    coverage = sorted(r.split("\t")[8].strip() for r in table.split("\n")[1:] if len(r.split("\t")) > 8)
    assert [c for c in coverage if c != "Độ bao phủ (%)"] == ["0", "100"], coverage
    assert "Chưa đủ minh chứng để gợi ý xếp loại" in table
    shot(page, "evaluation-period")
    page.get_by_role("button", name="Khoá sổ kỳ đánh giá…").click()
    page.wait_for_url(f"**/reports/evaluations/{period.pk}/close")
    facts = page.locator("dl.facts").inner_text()
    assert "2" in facts and "1" in facts
    shot(page, "evaluation-close-confirm")
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    page.get_by_role("button", name="Cố định và khoá sổ kỳ").click()
    page.wait_for_url(f"**/reports/evaluations/{period.pk}/")
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    lan = EvaluationRecord.objects.get(period=period, employee_number="E-lan")
    binh = EvaluationRecord.objects.get(period=period, employee_number="E-binh")
    assert lan.coverage == 1.0 and lan.band
    assert binh.coverage == 0.0 and binh.band == "" and binh.unmeasured == ["1.1", "1.2"]
    page.goto(f"/reports/evaluations/{period.pk}/people/{world['unmeasured'].pk}/")
    assert "chưa đo: 1.1, 1.2" in page.locator("dl.facts").inner_text()
    shot(page, "evaluation-person-unmeasured")


def test_reassessment_due_for_hr_and_the_learner(page, browser, live_server, world):
    Framework.objects.filter(code="VN-DCF").update(validity_months=12)
    from assessments.services.scores import scores_recompute

    scores_recompute()
    sign_in(page, "hr_fr", PASSWORD)
    page.goto(f"/reports/units/{world['fr'].pk}/reassessments/")
    assert "Nguyễn Thị Lan" in page.locator("body").inner_text()
    shot(page, "reassessments")
    learner = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = learner.new_page()
    sign_in(phone, "lan", PASSWORD)
    phone.goto("/my/competencies/")
    assert "cần đánh giá lại" in phone.locator("#competency-table").inner_text()
    shot(phone, "learner-reassessment-due-phone")
    learner.close()
