import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from reports.models import AuditEntry
from tests.accounts.conftest import sign_in
from tests.factories import TOTP_SECRET, totp_code


def _code_form(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_enrolled_hr_signs_in_with_password_then_code(client, hr):
    response = sign_in(client, "hr_enrolled")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in until the code is given
    page = client.get(reverse("mfa_authenticate"))
    assert "Mã xác thực" in page.content.decode()
    response = _code_form(client, totp_code(hr.user))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_wrong_codes_are_refused_and_throttled(client, hr, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "20/900s/ip,3/900s/key"}
    sign_in(client, "hr_enrolled")
    for _ in range(3):
        page = _code_form(client, "000000")
        assert page.status_code == 200 and "_auth_user_id" not in client.session
    locked = _code_form(client, totp_code(hr.user))  # even the right code, once locked
    assert "_auth_user_id" not in client.session
    assert "Quá nhiều lần đăng nhập sai" in locked.content.decode()


def test_a_recovery_code_works_once(client, hr):
    from lms.accounts.second_factor import recovery_codes_of

    code = recovery_codes_of(hr.user)[0]
    sign_in(client, "hr_enrolled")
    assert _code_form(client, code)["Location"] == "/"
    client.post(reverse("logout"))
    sign_in(client, "hr_enrolled")
    assert _code_form(client, code).status_code == 200
    assert "_auth_user_id" not in client.session


def test_hr_without_second_factor_reaches_only_enrolment(client, hr_not_enrolled):
    response = sign_in(client, "hr_new")
    assert response.status_code == 302
    for url in ("/", reverse("reports:dashboard"), "/admin/", "/learn/courses/"):
        blocked = client.get(url)
        assert blocked.status_code == 302 and blocked["Location"] == reverse("mfa_activate_totp"), url
    api = client.get("/api/v1/me")
    assert (
        api.status_code == 403 and "second factor" in api.json()["detail"].lower() or "xác thực" in api.json()["detail"]
    )
    assert client.post(reverse("reports:dashboard")).status_code == 403
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # the QR code, inline (no data: URL for the CSP to allow)


@pytest.mark.django_db(transaction=True)  # allauth sends its signal and e-mail on commit, inside the request
def test_enrolling_opens_the_way_and_is_audited(client, hr_not_enrolled):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    sign_in(client, "hr_new")
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=hr_not_enrolled.user, type="totp").exists()
    assert client.get(reverse("reports:dashboard")).status_code == 200
    entry = AuditEntry.objects.get(action="accounts.second_factor_enrol", params__type="totp")
    assert entry.actor == hr_not_enrolled.user and entry.unit == hr_not_enrolled.unit


def test_force_login_of_factory_hr_and_admin_keeps_working(client, hr, admin_user):
    client.force_login(hr.user)
    assert client.get(reverse("reports:dashboard")).status_code == 200
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_learners_need_no_second_factor(client, officer):
    assert sign_in(client, "officer")["Location"] == "/"
    assert client.get("/").status_code == 200


def test_bearer_token_of_hr_without_second_factor_is_refused(client, hr_not_enrolled, hr):
    from wagtail.models import APIToken

    _token, secret = APIToken.create_token(user=hr_not_enrolled.user, name="x")
    refused = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 403
    _token, secret = APIToken.create_token(user=hr.user, name="y")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_hr_cannot_remove_their_only_second_factor(client, hr):
    client.force_login(hr.user)
    from lms.accounts.adapter import MFAAdapter

    totp = Authenticator.objects.get(user=hr.user, type="totp")
    assert MFAAdapter().can_delete_authenticator(totp) is False


def test_administrator_resets_a_second_factor_audited(client, hr, admin_user):
    url = reverse("accounts_second_factor_reset", args=[hr.user.pk])
    client.force_login(hr.user)
    assert client.post(url).status_code in (302, 403)
    assert Authenticator.objects.filter(user=hr.user).exists()  # HR may not
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Authenticator.objects.filter(user=hr.user).exists()
    entry = AuditEntry.objects.get(action="accounts.second_factor_reset")
    assert entry.actor == admin_user and entry.params["authenticators_removed"] == 2
    # At the next sign-in they must enrol again.
    client.post(reverse("logout"))
    sign_in(client, "hr_enrolled")
    assert client.get(reverse("reports:dashboard"))["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    "evil", ["https://evil.example/", "//evil.example/x", "https:/evil.example", "javascript:alert(1)"]
)
def test_next_cannot_redirect_off_site(client, officer, evil):
    response = sign_in(client, "officer", next=evil)
    assert response.status_code == 302 and response["Location"] == "/"


def test_next_within_the_site_is_followed(client, officer):
    assert sign_in(client, "officer", next="/my-learning/")["Location"] == "/my-learning/"


def test_totp_helper_matches_allauth():
    from allauth.mfa.totp.internal.auth import validate_totp_code

    assert validate_totp_code(TOTP_SECRET, totp_code(TOTP_SECRET))


def test_account_pages_speak_vietnamese(client, hr):
    client.force_login(hr.user)
    for url, text in [
        (reverse("account_security"), "Tài khoản"),
        (reverse("mfa_index"), "Ứng dụng xác thực"),
        (reverse("account_change_password"), "Mật khẩu hiện tại"),
    ]:
        page = client.get(url)
        assert page.status_code == 200 and text in page.content.decode(), url
    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not it at all", "password1": "một mật khẩu mới 2026", "password2": "khác hẳn 2026 nhé"},
    )
    body = wrong.content.decode()
    assert "Hãy nhập mật khẩu hiện tại." in body and "Hai mật khẩu không giống nhau." in body


def test_learner_changes_their_password(client, officer):
    from tests.accounts.conftest import PASSWORD

    client.force_login(officer.user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "một mật khẩu mới 2026", "password2": "một mật khẩu mới 2026"},
    )
    assert response.status_code == 302
    officer.user.refresh_from_db()
    assert officer.user.check_password("một mật khẩu mới 2026")


def test_hr_scope_changes_in_the_admin_are_audited(client, admin_user, hr, org):
    from lms.models import HRScope

    client.force_login(admin_user)
    response = client.post(reverse("hrscope:add"), {"user": hr.user.pk, "unit": org["JP"].pk})
    assert response.status_code == 302
    scope = HRScope.objects.get(user=hr.user, unit=org["JP"])
    assert client.post(reverse("hrscope:delete", args=[scope.pk])).status_code == 302
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "params__unit", "actor_id"))
    assert actions == [
        ("accounts.hr_scope_add", "JP", admin_user.pk),
        ("accounts.hr_scope_remove", "JP", admin_user.pk),
    ]
