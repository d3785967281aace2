from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from tests.factories import make_person

PASSWORD = "correct horse battery staple"


@pytest.fixture
def officer(org):
    return make_person("officer", org["FR"], full_name="Nguyễn Thị Hồng Nhung")


def login(client, username, password):
    return client.post(reverse("login"), {"login": username, "password": password})


def lock_after(settings, failures: int) -> None:
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": f"{failures * 4}/900s/ip,{failures}/900s/key",
    }


def test_login_rotates_session_and_lands_home(client, officer):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    response = login(client, "officer", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session.session_key != before
    home = client.get("/")
    assert "Nguyễn Thị Hồng Nhung" in home.content.decode()


def test_failed_logins_are_throttled_per_account(client, officer, settings):
    lock_after(settings, 3)
    for _ in range(2):
        assert login(client, "officer", "wrong password!").status_code == 200
    assert login(client, "officer", "wrong password!").status_code == 429  # the failure that locks says so
    locked = login(client, "officer", PASSWORD)  # even the right password is refused while locked
    assert locked.status_code == 429
    assert "Quá nhiều lần đăng nhập sai" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttle_counts_the_username_case_insensitively(client, officer, settings):
    lock_after(settings, 2)
    login(client, "OFFICER", "nope nope nope")
    login(client, "Officer", "nope nope nope")
    assert login(client, "officer", PASSWORD).status_code == 429


def test_success_gives_its_attempt_back(client, officer, settings):
    """A success does not count; it does not wipe earlier failures either (allauth: an attacker must not be
    able to reset the counter by slipping in a sign-in of their own)."""
    lock_after(settings, 3)
    login(client, "officer", "wrong password!")
    assert login(client, "officer", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert login(client, "officer", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    login(client, "officer", "wrong password!")
    assert login(client, "officer", "wrong password!").status_code == 429


def test_idle_timeout_and_password_policy(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_TOUCH_SECONDS <= 60  # the idle timeout is 30 minutes give or take one
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("short-pass1")
    validate_password("một mật khẩu đủ dài 2026")


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_logout_is_post_only(client, officer):
    login(client, "officer", PASSWORD)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


def test_language_switch_vietnamese_default_then_english(client, officer):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="vi"' in page.content.decode() and "Đăng nhập" in page.content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get(reverse("login"))
    assert 'lang="en"' in page.content.decode() and "Sign in" in page.content.decode()


def test_language_switch_saves_profile_and_refuses_open_redirect(client, officer):
    login(client, "officer", PASSWORD)
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    officer.refresh_from_db()
    assert officer.language == "en"
    assert client.get(reverse("set_language")).status_code == 405


def test_profile_language_applies_without_cookie(client, org):
    make_person("anglo", org["FR"], language="en")
    client.post(reverse("login"), {"login": "anglo", "password": PASSWORD})
    assert 'lang="en"' in client.get("/").content.decode()


def test_csrf_is_enforced_on_login(db, officer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("login"), {"login": "officer", "password": PASSWORD}).status_code == 403


def test_wagtail_admin_sign_in_is_our_sign_in(client, officer):
    """Wagtail's own sign-in would skip the throttle and the second factor: it sends people to ours."""
    response = client.post("/admin/login/?next=/admin/pages/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/login/")["Location"].startswith("/accounts/login/")


def test_admin_redirects_to_our_sign_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_each_failure_counts_once(client, officer, settings):
    lock_after(settings, 2)
    assert login(client, "officer", "wrong password!").status_code == 200
    assert login(client, "officer", "wrong password!").status_code == 429


def test_client_address_behind_trusted_proxies(rf, settings):
    from lms.throttle import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.7"  # the spoofable left entry is ignored
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_address(request) == "10.0.0.2"  # fewer entries than proxies: do not trust the header


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def test_session_expiry_slides_at_most_once_a_minute(client, officer):
    """Idle timeout without a session write per request: renewed when a minute has passed."""
    with freeze_time("2026-11-25 08:00:00") as clock:
        client.force_login(officer.user)
        signed_in = _expiry(client)
        assert signed_in == datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
        clock.tick(30)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        assert not [q for q in ctx.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
        assert _expiry(client) == signed_in
        clock.tick(31)
        client.get(reverse("home"))
        assert _expiry(client) == datetime(2026, 11, 25, 8, 31, 1, tzinfo=UTC)
        clock.tick(31 * 60)  # idle past the timeout: signed out
        response = client.get(reverse("home"))
        assert response.status_code == 302 and reverse("login") in response["Location"]
