"""The LRS's pages in a real browser: a statement opened from its evidence on a phone, the credentials page."""

import pytest
from django.contrib.contenttypes.models import ContentType

from assessments.models import Competency
from assessments.services.frameworks import frameworks_ensure
from assessments.xapi.models import ActivityMapping
from tests.assessments.xapi.lrs_helpers import issue, statement
from tests.e2e.conftest import sign_in
from tests.factories import make_admin, make_person, make_unit

SCREENSHOTS = "/tmp/hocso-lrs-screenshots"


@pytest.fixture
def officer_statement(transactional_db):
    ContentType.objects.clear_cache()
    frameworks_ensure()
    person = make_person("lan", make_unit("FR", kind="embassy"), full_name="Nguyễn Thị Lan")
    competency = Competency.objects.filter(framework__code="VN-DCF").order_by("pk").first()
    ActivityMapping.objects.create(iri="https://vendor.example/elearning/", match="prefix", competency=competency)
    _issued, lrs = issue(name="Hệ thống học trực tuyến của nhà cung cấp")
    s = statement(
        actor={"mbox": f"mailto:{person.user.email}"},
        object={
            "id": "https://vendor.example/elearning/an-toan-thong-tin/module-with-a-very-long-address-that-must-wrap/1",
            "definition": {"name": {"vi": "An toàn thông tin cơ bản", "en-US": "Information security basics"}},
        },
        result={"score": {"scaled": 0.85}, "success": True},
    )
    return lrs.post("statements", s).json()[0]


def test_statement_page_on_a_phone(phone_page, officer_statement):
    sign_in(phone_page, "lan", "correct horse battery staple")
    phone_page.goto(f"/lrs/statements/{officer_statement}/")
    assert phone_page.get_by_role("heading", name="Câu lệnh xAPI").is_visible()
    assert phone_page.locator("dd").get_by_text("An toàn thông tin cơ bản").is_visible()
    phone_page.screenshot(path=f"{SCREENSHOTS}/statement-phone-vi.png", full_page=True)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"


def test_credentials_page(page, transactional_db):
    ContentType.objects.clear_cache()
    make_admin("boss")
    sign_in(page, "boss", "correct horse battery staple")
    page.goto("/admin/lrs/credentials/")
    page.get_by_label("Hệ thống kết nối").fill("Nền tảng dữ liệu của Bộ")
    page.get_by_role("button", name="Cấp", exact=True).click()
    page.wait_for_load_state()
    page.screenshot(path=f"{SCREENSHOTS}/credentials-issued-vi.png", full_page=True)
    assert page.get_by_text("Hãy sao chép mã bí mật ngay").is_visible()
    page.screenshot(path=f"{SCREENSHOTS}/credentials-issued-vi.png", full_page=True)
