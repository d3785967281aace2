import pytest
from django.core.management import call_command

from tests.e2e.conftest import sign_in


@pytest.fixture
def demo(transactional_db, settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def test_staff_signs_in_and_switches_to_english(page, demo):
    sign_in(page, "staff", demo)
    assert page.get_by_role("heading", name="Xin chào, Nguyễn Thị Hồng Nhung").is_visible()
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Welcome, Nguyễn Thị Hồng Nhung").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"


def test_sign_in_works_on_a_phone(phone_page, demo):
    sign_in(phone_page, "hr_europe", demo)
    assert phone_page.get_by_role("heading", name="Xin chào, Phạm Thị Ngọc Ánh").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
