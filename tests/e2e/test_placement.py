"""The placement test in a real browser: an officer on a phone takes the diagnostic their HR assigned, sees
their placement; their competency page and HR's baseline report reflect it. Screenshots of the result and the
baseline (phone and desktop, Vietnamese and English) go to /tmp/shots-campaign/ for a person to look at."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.e2e.conftest import sign_in, wait_until
from tests.factories import make_hr, make_person, make_unit

SHOTS = Path("/tmp/shots-campaign")
PASSWORD = "correct horse battery staple"


@pytest.fixture
def campaign(transactional_db):
    ContentType.objects.clear_cache()
    from assessments.models import Framework
    from assessments.placement import demo
    from assessments.placement.models import DiagnosticForm
    from assessments.placement.services.bank import form_publish
    from assessments.placement.services.campaigns import campaign_create
    from assessments.services.frameworks import frameworks_ensure

    frameworks_ensure()
    framework = Framework.objects.current().get(code="VN-DCF")
    form = DiagnosticForm.objects.create(
        title_vi="Đánh giá xếp mức năng lực số",
        title_en="Digital skills placement",
        framework=framework,
        pool=demo._bank(framework, "vi"),
        min_items=2,
        max_items=3,  # a short test: six areas, at most 18 answers
    )
    form = form_publish(form=form)
    ministry = make_unit("BNG", kind="ministry", name_vi="Bộ Ngoại giao")
    embassy = make_unit("FR", ministry, kind="embassy", name_vi="Đại sứ quán tại Pháp")
    officer = make_person("lan", embassy, position="Bí thư thứ hai", full_name="Nguyễn Thị Lan")
    make_person("minh", embassy, full_name="Trần Văn Minh")
    hr = make_hr("hr_fr", ministry, ministry)
    campaign = campaign_create(
        actor=hr.user,
        title="Đánh giá đầu vào 2026",
        form=form,
        units=[ministry],
        positions=[],
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    return {"officer": officer, "hr": hr, "form": form, "campaign": campaign}


def _take_the_test(page) -> None:
    rng = random.Random(15)
    for _ in range(60):
        if "/my/placement/session/" not in page.url:
            return
        page.locator(f"input[name=answer][value={rng.choice(['true', 'false'])}]").check()
        page.get_by_role("button", name="Trả lời và tiếp tục").click()
        page.wait_for_load_state()
    raise AssertionError("the test did not end")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _english(page, live_server) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def test_officer_takes_the_diagnostic_on_a_phone_and_hr_sees_it(browser, live_server, phone_page, page, campaign):
    from assessments.placement.models import DiagnosticSession, SectionResult

    # the officer, on a phone
    sign_in(phone_page, "lan", PASSWORD)
    phone_page.goto("/my/placement/")
    phone_page.get_by_role("button", name="Bắt đầu làm bài").click()
    phone_page.wait_for_url("**/my/placement/session/**")
    # no key, no parameter in the page: only the current question
    assert "irt" not in phone_page.content() and "true_false_answer" not in phone_page.content()
    _take_the_test(phone_page)
    assert "/placement/results/" in phone_page.url
    assert phone_page.get_by_role("heading", name="Kết quả xếp mức").is_visible()
    phone_page.wait_for_selector("#placement-chart .main-svg")  # the chart drew
    wait_until(phone_page, "document.querySelectorAll('#placement-chart .point').length === 6")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, "the result scrolls sideways"
    session = DiagnosticSession.objects.get(person=campaign["officer"], status="completed")
    first = SectionResult.objects.select_related("level").filter(session=session).order_by("area__sort_order")[0]
    _shot(phone_page, "result-phone-vi")
    _english(phone_page, live_server)
    phone_page.reload()
    assert phone_page.get_by_role("heading", name="Placement result").is_visible()
    phone_page.wait_for_selector("#placement-chart .main-svg")
    _shot(phone_page, "result-phone-en")

    # their competency page reflects the placement (the areas' competencies now have a level)
    phone_page.goto("/my/competencies/")
    phone_page.wait_for_selector("#levels-chart .main-svg")
    from assessments.models import CompetencyScore

    score = CompetencyScore.objects.select_related("competency").get(
        person=campaign["officer"], competency__code="1.1", competency__framework=campaign["form"].framework
    )
    assert score.evidence_count == 1  # the placement, as evidence of every competency of the area
    row = phone_page.get_by_role("row").filter(has_text=f"{score.competency.code} ").first
    assert f"{round(100 * score.score)}%" in row.inner_text()

    # HR, on a desk: the baseline counts the officer as placed, with their level, and drills down to them
    sign_in(page, "hr_fr", PASSWORD)
    page.goto("/reports/baseline/")
    totals = page.get_by_test_id("baseline-totals").inner_text()
    assert totals.startswith("3 cán bộ: 1 đã làm, 0 đang làm, 2 chưa bắt đầu"), totals  # HR is an officer too
    row = page.get_by_role("row").filter(has_text="Nguyễn Thị Lan")
    assert "Đã làm" in row.inner_text() and first.level.code in row.inner_text()
    _shot(page, "baseline-desktop-vi")
    page.goto("/reports/baseline/?status=not_started")
    assert page.get_by_role("row").filter(has_text="Trần Văn Minh").count() == 1
    assert page.get_by_role("row").filter(has_text="Nguyễn Thị Lan").count() == 0
    page.goto(f"/placement/campaigns/{campaign['campaign'].pk}/")
    assert "3 cán bộ được giao: 1 đã làm, 0 đang làm, 2 chưa bắt đầu." in page.content()
    _english(page, live_server)
    page.goto("/reports/baseline/")
    assert "1 taken" in page.get_by_test_id("baseline-totals").inner_text()
    _shot(page, "baseline-desktop-en")
    page.goto(f"/placement/results/{session.pk}/")
    page.wait_for_selector("#placement-chart .main-svg")
    _shot(page, "result-desktop-en")
    page.context.clear_cookies(name="django_language")
    page.goto(f"/placement/results/{session.pk}/")
    page.wait_for_selector("#placement-chart .main-svg")
    _shot(page, "result-desktop-vi")

    # HR's baseline on a phone too
    hr_phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    sign_in(hr_phone, "hr_fr", PASSWORD)
    hr_phone.goto("/reports/baseline/")
    assert hr_phone.evaluate("document.documentElement.scrollWidth") <= 390, "the baseline scrolls sideways"
    _shot(hr_phone, "baseline-phone-vi")
    _english(hr_phone, live_server)
    hr_phone.reload()
    _shot(hr_phone, "baseline-phone-en")
    hr_phone.context.close()
