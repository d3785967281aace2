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
