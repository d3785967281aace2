from django.core.files.uploadedfile import SimpleUploadedFile

from lms.models import StaffProfile
from tests.factories import make_admin, make_person

URL = "/admin/organisation/import-staff/"
HEADER = "employee_number,full_name,email,unit_code,position,grade,language\n"


def test_staff_import_page_is_for_administrators_only(client, org):
    hr = make_person("hr_x", org["VP"], role="HR")
    client.force_login(hr.user)
    response = client.get(URL)
    assert response.status_code in (302, 403)


def test_admin_uploads_a_file_with_a_bad_row_and_nothing_is_written(client, org):
    admin = make_admin()
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    data = (HEADER + "NV1,Vũ Thị Thu,thu@x.vn,FR,,,vi\nNV2,Bùi Văn Long,long@x.vn,MARS,,,vi\n").encode()
    response = client.post(URL, {"file": SimpleUploadedFile("staff.csv", data, "text/csv")})
    assert response.status_code == 200
    body = response.content.decode()
    assert "unit_code “MARS” không phải là đơn vị đã biết" in body
    assert StaffProfile.objects.count() == 0
    response = client.post(URL, {"file": SimpleUploadedFile("staff.csv", data, "text/csv"), "skip_invalid": "on"})
    assert StaffProfile.objects.filter(full_name="Vũ Thị Thu").count() == 1


def test_non_csv_upload_is_refused(client, org):
    admin = make_admin()
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(URL, {"file": SimpleUploadedFile("staff.exe", b"MZ", "application/octet-stream")})
    assert "Hãy tải lên tệp .csv." in response.content.decode()
    assert StaffProfile.objects.count() == 0


def _superuser(client):
    admin = make_admin()
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)


def test_units_created_and_moved_in_the_admin_keep_their_paths(client, org):
    from lms.models import Unit

    _superuser(client)
    response = client.post(
        "/admin/unit/new/",
        {"code": "IT", "parent": org["FR"].pk, "kind": "division", "name_vi": "Phòng Tin học", "name_en": "IT"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    it = Unit.objects.get(code="IT")
    assert it.path == org["FR"].path + f"{it.pk}/" and it.depth == 3
    client.post(
        f"/admin/unit/edit/{org['EU'].pk}/",
        {"code": "EU", "parent": org["AP"].pk, "kind": "other", "name_vi": "Châu Âu", "name_en": "Europe"},
    )
    assert Unit.objects.get(code="IT").path.startswith(Unit.objects.get(code="AP").path)
    assert set(Unit.objects.subtree_of(Unit.objects.get(code="AP")).values_list("code", flat=True)) == {
        "AP",
        "JP",
        "EU",
        "FR",
        "DE",
        "IT",
    }


def test_a_unit_cannot_move_under_its_own_subtree(client, org):
    from lms.models import Unit

    _superuser(client)
    response = client.post(
        f"/admin/unit/edit/{org['EU'].pk}/",
        {"code": "EU", "parent": org["FR"].pk, "kind": "other", "name_vi": "Châu Âu", "name_en": "Europe"},
    )
    assert response.status_code == 200
    assert Unit.objects.get(code="EU").parent_id == org["BNG"].pk
