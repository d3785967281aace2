"""Single sign-on against a real OpenID Connect provider (npm oidc-provider): code flow with PKCE and a nonce."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.oidc_support import Provider, sign_in_at_provider
from tests.factories import make_person

CALLBACK = "http://testserver/accounts/oidc/ministry/login/callback/"


@pytest.fixture(scope="module")
def provider():
    running = Provider([CALLBACK], ["http://testserver/accounts/login/"])
    yield running
    running.stop()


@pytest.fixture
def sso(provider, settings):
    settings.SOCIALACCOUNT_PROVIDERS = provider.settings()
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = 2
    provider.set_fault(None)
    yield provider
    provider.set_fault(None)


@pytest.fixture
def nhung(org):
    person = make_person("CB0001", org["FR"], full_name="Nguyễn Thị Hồng Nhung")
    person.user.email = "nhung@mofa.example.vn"
    person.user.set_unusable_password()
    person.user.save()
    return person


def start(client) -> str:
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "ministry"}), {"process": "login"})
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def come_back(client, url):
    parts = urlsplit(url)
    return client.get(parts.path, dict((k, v[0]) for k, v in parse_qs(parts.query).items()))


def test_sign_in_button_appears_only_when_configured(client, db, settings, sso):
    assert "Đăng nhập bằng tài khoản của Bộ" in client.get(reverse("login")).content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "Đăng nhập bằng tài khoản của Bộ" not in client.get(reverse("login")).content.decode()


def test_code_flow_with_pkce_and_nonce_signs_in_an_imported_officer(client, sso, nhung):
    authorize = start(client)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["response_type"] == ["code"]
    response = come_back(client, sign_in_at_provider(authorize, "nhung", CALLBACK))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(nhung.user.pk)
    assert SocialAccount.objects.get(user=nhung.user).uid == "nhung"
    assert "Nguyễn Thị Hồng Nhung" in client.get("/").content.decode()


def test_match_by_employee_number(client, sso, settings, org):
    settings.OIDC_MATCH = "employee_number"
    person = make_person("someone", org["FR"], full_name="Lê Văn Đức")
    person.employee_number = "NS0001"
    person.save()
    response = come_back(client, sign_in_at_provider(start(client), "duc", CALLBACK))
    assert response["Location"] == "/" and client.session["_auth_user_id"] == str(person.user.pk)


def test_unknown_person_is_refused_and_nothing_is_created(client, sso, nhung):
    users = get_user_model().objects.count()
    response = come_back(client, sign_in_at_provider(start(client), "stranger", CALLBACK))
    body = response.content.decode()
    assert response.status_code == 403 and "stranger@elsewhere.example" in body and "tổ chức cán bộ" in body
    assert get_user_model().objects.count() == users and not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session


def test_an_address_the_provider_has_not_verified_links_nobody(client, sso, nhung, settings):
    response = come_back(client, sign_in_at_provider(start(client), "impostor", CALLBACK))
    assert response.status_code == 403 and "chưa xác minh" in response.content.decode()
    assert not SocialAccount.objects.exists() and "_auth_user_id" not in client.session
    settings.OIDC_TRUST_UNVERIFIED_EMAIL = True  # a provider whose addresses only the ministry sets
    response = come_back(client, sign_in_at_provider(start(client), "impostor", CALLBACK))
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(nhung.user.pk)


def test_a_deactivated_officer_is_refused(client, sso, nhung):
    nhung.user.is_active = False
    nhung.user.save()
    response = come_back(client, sign_in_at_provider(start(client), "nhung", CALLBACK))
    assert response.status_code in (302, 403) and "_auth_user_id" not in client.session
    page = client.get(response["Location"]) if response.status_code == 302 else response
    assert "không còn hoạt động" in page.content.decode()


@pytest.mark.parametrize("fault", ["wrong-audience", "wrong-issuer", "wrong-nonce", "bad-signature", "expired"])
def test_an_untrustworthy_id_token_is_refused(client, sso, nhung, fault):
    sso.set_fault(fault)
    response = come_back(client, sign_in_at_provider(start(client), "nhung", CALLBACK))
    assert "Đăng nhập một lần không thành công" in response.content.decode(), fault
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


def test_a_slow_provider_times_out_with_a_clear_page(client, sso, nhung, settings):
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = 1
    sso.set_fault("slow")
    response = come_back(client, sign_in_at_provider(start(client), "nhung", CALLBACK))
    assert response.status_code == 503 and "không trả lời" in response.content.decode()
    assert "_auth_user_id" not in client.session and not SocialAccount.objects.exists()


def test_a_provider_that_is_down_gets_a_clear_page(client, db, settings):
    from tests.accounts.oidc_support import free_port

    down = Provider.__new__(Provider)
    down.issuer = f"http://127.0.0.1:{free_port()}"
    settings.SOCIALACCOUNT_PROVIDERS = Provider.settings(down)
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "ministry"}), {"process": "login"})
    assert response.status_code == 503 and "không trả lời" in response.content.decode()


def test_the_session_holds_a_second_factor_for_hr(client, sso, org):
    """HR signing in through the provider still give their authenticator code."""
    from tests.factories import make_hr

    hr = make_hr("NS0001", org["BNG"], org["BNG"])
    hr.user.email = "duc@mofa.example.vn"
    hr.user.save()
    response = come_back(client, sign_in_at_provider(start(client), "duc", CALLBACK))
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_provider_session_too(client, sso, nhung):
    come_back(client, sign_in_at_provider(start(client), "nhung", CALLBACK))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}" == sso.issuer and target.path.endswith("/session/end")
    query = parse_qs(target.query)
    assert query["id_token_hint"][0] and query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert "_auth_user_id" not in client.session
