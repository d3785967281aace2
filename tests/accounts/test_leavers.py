"""import_staff --full: leavers lose every way in (password, session, API token, invitation); records stay."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import APIToken

from lms.models import StaffProfile
from lms.services.imports import staff_import
from reports.models import AuditEntry
from tests.accounts.conftest import PASSWORD, sign_in

HEADER = "employee_number,full_name,email,unit_code,position,grade,language"


def _csv(*numbers) -> bytes:
    lines = [HEADER] + [f"{n},Nguyễn Văn {n},{n.lower()}@mofa.example.vn,FR,Chuyên viên,,vi" for n in numbers]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def three(org):
    staff_import(data=_csv("NV001", "NV002", "NV003"))
    for user in get_user_model().objects.filter(username__in=["NV001", "NV002", "NV003"]):
        user.set_password(PASSWORD)
        user.save()
    return StaffProfile.objects.order_by("employee_number")


def test_without_full_nobody_is_deactivated(three):
    result = staff_import(data=_csv("NV001"))
    assert result.deactivated == 0
    assert StaffProfile.objects.filter(is_active=True).count() == 3


def test_a_leaver_loses_every_way_in(client, three):
    from django.test import Client

    old_session = Client()
    assert sign_in(old_session, "NV003").status_code == 302
    assert old_session.get("/").status_code == 200
    _token, secret = APIToken.create_token(user=three.get(employee_number="NV003").user, name="integration")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200

    result = staff_import(data=_csv("NV001", "NV002"), full=True)

    assert result.deactivated == 1 and "1 ngừng kích hoạt" in result.summary()
    leaver = StaffProfile.objects.select_related("user").get(employee_number="NV003")
    assert not leaver.is_active and not leaver.user.is_active
    # An old session is signed out on its next request.
    assert old_session.get("/")["Location"].startswith(reverse("login"))
    # The password no longer works: a clear page says the account is no longer active.
    page = sign_in(client, "NV003", follow=True)
    assert "_auth_user_id" not in client.session
    assert "không còn hoạt động" in page.content.decode()
    # The API token is revoked.
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert APIToken.objects.get(user=leaver.user).revoked_at is not None
    # Their records stay; the others are untouched.
    assert StaffProfile.objects.filter(is_active=True).count() == 2
    entry = AuditEntry.objects.get(action="accounts.deactivate_by_import")
    assert entry.target_id == str(leaver.pk) and entry.unit_id == leaver.unit_id
    assert AuditEntry.objects.filter(action="accounts.staff_import").latest("id").params["deactivated"] == 1


def test_someone_who_reappears_is_reactivated(client, three):
    staff_import(data=_csv("NV001", "NV002"), full=True)
    result = staff_import(data=_csv("NV001", "NV002", "NV003"), full=True)
    assert result.reactivated == 1 and result.deactivated == 0
    assert sign_in(client, "NV003")["Location"] == "/"


def test_an_invalid_row_still_counts_as_present(three):
    data = _csv("NV001", "NV002") + b"NV003,Nguyen,not-an-email,FR,,,vi\n"
    result = staff_import(data=data, full=True, skip_invalid=True)
    assert result.skipped == 1 and result.deactivated == 0


def test_deactivation_is_set_based(org, django_assert_max_num_queries):
    """A fixed number of queries whatever the number of leavers (the import will take 100,000 rows)."""
    from lms.accounts.services.leavers import staff_deactivate_missing

    staff_import(data=_csv(*[f"NV{i:03d}" for i in range(60)]))
    with django_assert_max_num_queries(9) as few:
        assert staff_deactivate_missing(present_numbers=["NV000"]) == 59
    staff_import(data=_csv(*[f"NV{i:03d}" for i in range(60)]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff_deactivate_missing(present_numbers=["NV000", "NV001"]) == 58


def test_many_present_numbers_are_one_parameter(org):
    from lms.accounts.services.leavers import staff_deactivate_missing

    staff_import(data=_csv("NV001"))
    present = ["NV001"] + [f"X{i:06d}" for i in range(100_000)]
    assert staff_deactivate_missing(present_numbers=present) == 0


def test_command_full_prints_the_count(three, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_bytes(_csv("NV001"))
    call_command("import_staff", str(path), "--full")
    assert "2 ngừng kích hoạt" in capsys.readouterr().out
