"""“My competencies” in a real browser: the chart draws from the locally served plotly.js, on a phone too."""

import pytest
from django.contrib.contenttypes.models import ContentType

from assessments.demo import seed_profiles
from assessments.models import Competency
from assessments.services.evidence import EvidenceItem, evidence_record
from assessments.services.frameworks import frameworks_ensure
from tests.e2e.conftest import sign_in
from tests.factories import make_person, make_unit, source_ref


@pytest.fixture
def learner(transactional_db):
    # An earlier transactional test may have flushed the database (content types included) while the
    # in-process ContentType cache still holds the old ids; the frameworks' search-index rows would then
    # point at content types that no longer exist (FOREIGN KEY constraint failed at commit).
    ContentType.objects.clear_cache()
    frameworks_ensure()
    seed_profiles()
    unit = make_unit("FR", kind="embassy")
    person = make_person("lan", unit, position="Bí thư thứ hai", full_name="Nguyễn Thị Lan")
    for i, comp in enumerate(Competency.objects.filter(framework__code="VN-DCF")[:8]):
        for attempt in range(2):
            evidence_record(
                person=person,
                items=[EvidenceItem(comp.pk, (i + attempt) / 10)],
                source="manual",
                source_ref=source_ref(person, f"quiz-attempt:{i}-{attempt}"),
            )
    return person


def test_my_competencies_chart_and_table_on_a_phone(phone_page, learner):
    sign_in(phone_page, "lan", "correct horse battery staple")
    phone_page.goto("/my/competencies/")
    assert phone_page.get_by_role("heading", name="Năng lực của tôi").is_visible()
    phone_page.wait_for_selector("#levels-chart .main-svg")  # plotly.js loaded from our server and drew
    assert phone_page.get_by_role("table", name="Mức hiện tại, điểm và độ tin cậy theo từng năng lực").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    phone_page.get_by_text("1.1 Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số (2)").click()
    # each evidence row opens to its source (the source registry's page), not a raw reference
    assert phone_page.locator(f"a[href*='/people/{learner.pk}/evidence/']").first.is_visible()
