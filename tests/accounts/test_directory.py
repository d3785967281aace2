"""Directory sign-in (django-auth-ldap) against a real OpenLDAP server loaded from directory.ldif."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lms import roles
from reports.models import AuditEntry
from tests.accounts.conftest import sign_in
from tests.accounts.slapd_support import Slapd
from tests.factories import make_person

DIRECTORY_PASSWORD = "directory-password-2026"
BACKENDS = ["lms.accounts.backends.AccountBackend", "lms.accounts.directory.DirectoryBackend"]


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    server = Slapd(tmp_path_factory.mktemp("slapd"))
    yield server
    server.stop()


@pytest.fixture
def directory(slapd, settings):
    for name, value in slapd.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    return slapd


@pytest.fixture
def nhung(org):
    person = make_person("CB0001", org["FR"], full_name="Nguyễn Thị Hồng Nhung")
    person.employee_number = "CB0001"  # as in the directory's employeeNumber
    person.save()
    person.user.set_unusable_password()
    person.user.save()
    return person


def test_an_imported_officer_signs_in_with_the_directory_password(client, directory, nhung):
    users = get_user_model().objects.count()
    response = sign_in(client, "nhung.nguyen", DIRECTORY_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(nhung.user.pk)
    assert get_user_model().objects.count() == users  # matched, not created
    nhung.user.refresh_from_db()
    assert not nhung.user.has_usable_password()  # HocSo keeps no copy of the directory password


def test_a_wrong_directory_password_is_refused(client, directory, nhung):
    response = sign_in(client, "nhung.nguyen", "not the password!")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_someone_in_the_directory_but_not_imported_is_told_whom_to_contact(client, directory, nhung):
    users = get_user_model().objects.count()
    response = sign_in(client, "outsider", DIRECTORY_PASSWORD)
    assert response.status_code == 403
    assert "tổ chức cán bộ" in response.content.decode()
    assert get_user_model().objects.count() == users and "_auth_user_id" not in client.session


def test_a_directory_that_is_down_gets_a_clear_message_and_local_accounts_work(
    client, directory, nhung, settings, officer
):
    from tests.accounts.oidc_support import free_port

    settings.LDAP_SERVER_URI = f"ldap://127.0.0.1:{free_port()}"
    response = sign_in(client, "nhung.nguyen", DIRECTORY_PASSWORD)
    assert response.status_code == 503 and "không thể kết nối" in response.content.decode()
    assert sign_in(client, "officer")["Location"] == "/"  # a HocSo password still works


def test_a_deactivated_officer_cannot_use_the_directory(client, directory, nhung):
    nhung.user.is_active = False
    nhung.user.save()
    response = sign_in(client, "nhung.nguyen", DIRECTORY_PASSWORD, follow=True)
    assert "_auth_user_id" not in client.session
    assert "không còn hoạt động" in response.content.decode()


def test_an_old_directory_session_ends_when_the_officer_leaves(client, directory, nhung):
    sign_in(client, "nhung.nguyen", DIRECTORY_PASSWORD)
    assert client.get("/").status_code == 200
    nhung.user.is_active = False
    nhung.user.save()
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_directory_sign_in_is_throttled(client, directory, nhung, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "20/900s/ip,2/900s/key"}
    sign_in(client, "nhung.nguyen", "wrong one!!!!")
    sign_in(client, "nhung.nguyen", "wrong two!!!!")
    assert sign_in(client, "nhung.nguyen", DIRECTORY_PASSWORD).status_code == 429


def test_directory_groups_give_roles(client, directory, settings, org):
    settings.LDAP_ROLE_GROUPS = {roles.HR: "cn=hocso-hr,ou=groups,dc=mofa,dc=example"}
    duc = make_person("NS0001", org["BNG"], full_name="Lê Văn Đức")
    duc.employee_number = "NS0001"
    duc.save()
    response = sign_in(client, "duc.le", DIRECTORY_PASSWORD)
    assert roles.HR in set(duc.user.groups.values_list("name", flat=True))
    entry = AuditEntry.objects.get(action="accounts.roles_change")
    assert entry.params["added"] == [roles.HR] and entry.params["source"] == "directory groups"
    # HR must enrol a second factor before going further.
    assert response.status_code == 302
    assert client.get(reverse("reports:dashboard"))["Location"] == reverse("mfa_activate_totp")
