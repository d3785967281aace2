"""Ways in, in a real browser: an invitation followed from the e-mail, single sign-on with a real provider,
HR's second factor, and a look at the identity pages in both languages on a desk and a phone."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from lms.models import StaffProfile
from tests.accounts.oidc_support import Provider
from tests.e2e.conftest import sign_in
from tests.factories import make_hr, make_person, make_unit

SHOTS = Path(settings.MEDIA_ROOT) / "screenshots" / "identity"
NEW_PASSWORD = "một mật khẩu rất dài 2026"


@pytest.fixture
def unit(transactional_db):
    return make_unit("DSQ-FR", kind="embassy", name_vi="Đại sứ quán Việt Nam tại Pháp")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{name}: the page scrolls sideways ({width}px > {viewport}px)"


def _invite(person, live_server):
    from django.conf import settings

    from lms.accounts.services.invitations import invitations_create

    settings.WAGTAILADMIN_BASE_URL = live_server.url
    invitations_create(people=StaffProfile.objects.filter(pk=person.pk), actor=None)
    body = mail.outbox[-1].body
    return re.search(r"http://\S+/accounts/invitation/\S+/", body).group(0)


def test_an_invited_officer_follows_the_link_from_the_mail_to_a_first_sign_in(page, live_server, unit):
    person = make_person("NV0042", unit, full_name="Trần Thị Mai")
    person.user.set_unusable_password()
    person.user.save()
    link = _invite(person, live_server)
    assert "Kính gửi đồng chí Trần Thị Mai" in mail.outbox[-1].body

    page.goto(link)
    assert page.get_by_role("heading", name="Chào mừng đến với HocSo").is_visible()
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đặt mật khẩu và đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Xin chào, Trần Thị Mai").is_visible()

    # The link is used up; the password works from now on.
    page.get_by_role("button", name="Đăng xuất").click()
    page.goto(link)
    assert page.get_by_role("heading", name="Không thể dùng đường liên kết này").is_visible()
    sign_in(page, "NV0042", NEW_PASSWORD)
    assert page.get_by_role("heading", name="Xin chào, Trần Thị Mai").is_visible()


def test_hr_signs_in_with_a_code_and_hr_without_one_must_enrol(page, live_server, unit):
    hr = make_hr("hr_fr", unit, unit)
    hr.user.set_password(NEW_PASSWORD)
    hr.user.save()
    sign_in(page, "hr_fr", NEW_PASSWORD)
    page.goto("/reports/")
    assert page.get_by_role("heading", name="Báo cáo nhân sự", exact=True).is_visible()

    newcomer = make_hr("hr_new", unit, unit, second_factor=False)
    newcomer.user.set_password(NEW_PASSWORD)
    newcomer.user.save()
    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, "hr_new", NEW_PASSWORD, next_url="**/accounts/2fa/totp/activate/")
    page.goto("/reports/")
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    secret = page.get_by_label("Khoá bí mật (để nhập tay)").input_value()
    from lms.accounts.second_factor import totp_code

    page.get_by_label("Mã từ ứng dụng").fill(totp_code(secret))
    page.get_by_role("button", name="Bật").click()
    page.wait_for_load_state()
    page.goto("/reports/")
    assert page.get_by_role("heading", name="Báo cáo nhân sự", exact=True).is_visible()


@pytest.fixture
def browser_sso(live_server, settings):
    provider = Provider(
        [f"{live_server.url}/accounts/oidc/ministry/login/callback/"], [f"{live_server.url}/accounts/login/"]
    )
    settings.SOCIALACCOUNT_PROVIDERS = provider.settings()
    yield provider
    provider.stop()


def test_single_sign_on_in_the_browser_and_sign_out_of_the_provider(page, live_server, unit, browser_sso):
    person = make_person("CB0001", unit, full_name="Nguyễn Thị Hồng Nhung")
    person.user.email = "nhung@mofa.example.vn"
    person.user.save()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Đăng nhập bằng tài khoản của Bộ").click()
    # The provider's own (development) sign-in and consent pages.
    page.wait_for_url(f"{browser_sso.issuer}/**")
    page.locator("input[name=login]").fill("nhung")
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    page.locator("button[type=submit]", has_text="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Xin chào, Nguyễn Thị Hồng Nhung").is_visible()

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{browser_sso.issuer}/**")  # the provider asks to end its session too
    page.locator("button[autofocus], button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    # The provider forgot us: signing on again asks for the provider's password again.
    page.get_by_role("button", name="Đăng nhập bằng tài khoản của Bộ").click()
    page.wait_for_url(f"{browser_sso.issuer}/**")
    assert page.locator("input[name=password]").is_visible()


@pytest.mark.parametrize("phone", [False, True], ids=["desk", "phone"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_identity_pages_look_right(browser, live_server, unit, browser_sso, phone, language):
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(base_url=live_server.url, viewport=viewport, is_mobile=phone, has_touch=phone)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    context.set_default_timeout(15000)
    page = context.new_page()
    where = f"{language}-{'phone' if phone else 'desk'}"
    try:
        page.goto("/accounts/login/")
        shot(page, f"sign-in-{where}")
        page.goto("/accounts/password/reset/")
        shot(page, f"forgot-password-{where}")

        invitee = make_person(f"NV{language}{int(phone)}", unit, full_name="Trần Thị Mai", language=language)
        invitee.user.set_unusable_password()
        invitee.user.save()
        page.goto(_invite(invitee, live_server))
        shot(page, f"invitation-{where}")

        hr = make_hr(f"hr{language}{int(phone)}", unit, unit, second_factor=False)
        hr.user.set_password(NEW_PASSWORD)
        hr.user.save()
        page.goto("/accounts/login/")
        page.locator("input[name=login]").fill(hr.user.username)
        page.locator("input[name=password]").fill(NEW_PASSWORD)
        page.locator("form[action='/accounts/login/'] button[type=submit]").click()
        page.wait_for_url("**/accounts/2fa/totp/activate/")
        shot(page, f"second-factor-enrolment-{where}")
        page.locator("form.logout button").click()
        page.wait_for_load_state()

        enrolled = make_hr(f"hrok{language}{int(phone)}", unit, unit)
        enrolled.user.set_password(NEW_PASSWORD)
        enrolled.user.save()
        page.goto("/accounts/login/")
        page.locator("input[name=login]").fill(enrolled.user.username)
        page.locator("input[name=password]").fill(NEW_PASSWORD)
        page.locator("form[action='/accounts/login/'] button[type=submit]").click()
        page.wait_for_url("**/accounts/2fa/authenticate/")
        shot(page, f"second-factor-code-{where}")
        # Wait for the sign-out's own navigation to finish: a goto() while it is in flight aborts one of them.
        with page.expect_navigation():
            page.locator("#logout-from-stage").evaluate("form => form.submit()")
        page.wait_for_load_state()

        page.goto("/accounts/login/")
        page.locator("form.sso button").click()
        page.wait_for_url(f"{browser_sso.issuer}/**")
        page.locator("input[name=login]").fill("stranger")
        page.locator("input[name=password]").fill("any password")
        page.locator("button[type=submit]").click()
        page.locator("button[type=submit]", has_text="Continue").click()
        page.wait_for_url(f"{live_server.url}/accounts/oidc/**")
        assert "stranger@elsewhere.example" in page.content()
        shot(page, f"unknown-person-{where}")
    finally:
        context.close()
