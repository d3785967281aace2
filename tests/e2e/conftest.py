"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, username: str, password: str, *, next_url: str = "**/") -> None:
    """Sign in through the real page; HR and administrators also type the code of their authenticator app."""
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập hoặc mã cán bộ").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        enter_totp_code(page, username)
    page.wait_for_url(next_url)


def enter_totp_code(page, username: str) -> None:
    """Type the current code of ``username``'s authenticator (computed from the stored secret, as the app would)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from tests.factories import totp_code

    user = get_user_model().objects.get(username=username)
    code = totp_code(user)
    # A code is accepted once per 30-second period: a second sign-in in the same period would be refused.
    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Đăng nhập").click()


def wait_until(page, expression: str, timeout: int = 20000, interval: float = 0.1) -> None:
    """Poll ``expression`` in the page until it is truthy. Playwright's ``wait_for_function`` polls with eval(),
    which the pages' Content-Security-Policy (no 'unsafe-eval') rightly refuses; ``page.evaluate`` goes through the
    browser's debugging protocol, which the policy does not govern."""
    import time

    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} ms waiting for: {expression}")
        time.sleep(interval)
