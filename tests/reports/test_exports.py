import csv
import io

import openpyxl
import pytest

from reports import exports
from reports.models import AuditEntry


@pytest.mark.parametrize(("language", "mark"), [("vi", "87,46"), ("en", "87.46")])
def test_csv_chunks_start_with_bom_and_keep_vietnamese(language, mark):
    from django.utils import translation

    with translation.override(language):
        text = "".join(
            exports.csv_chunks(["Họ và tên", "Điểm"], [("Nguyễn Thị Ánh Tuyết", 87.456), ("Trần Đức Thắng", None)])
        )
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["Họ và tên", "Điểm"], ["Nguyễn Thị Ánh Tuyết", mark], ["Trần Đức Thắng", ""]]


@pytest.mark.parametrize(
    ("language", "zone", "header", "moment", "day", "month", "count"),
    [
        ("vi", "Europe/Paris", "Lúc (Europe/Paris)", "05/03/2026 14:05", "05/03/2026", "03/2026", "211"),
        ("en", "Asia/Ho_Chi_Minh", "At (Asia/Ho_Chi_Minh)", "5 Mar 2026, 20:05", "5 Mar 2026", "Mar 2026", "211"),
    ],
)
def test_csv_cells_read_as_the_page_with_the_zone_in_the_header(language, zone, header, moment, day, month, count):
    import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone, translation

    from lms.formatting import Month

    at = datetime.datetime(2026, 3, 5, 13, 5, tzinfo=datetime.UTC)
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        text = "".join(
            exports.csv_chunks(
                [header.split(" (")[0], "d", "m", "n"],
                [(at, datetime.date(2026, 3, 5), Month(2026, 3, 1), 211.0)],
            )
        )
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [[header, "d", "m", "n"], [moment, day, month, count]]


def test_xlsx_has_a_frozen_header_sized_columns_and_real_dates():
    import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone, translation

    out = io.BytesIO()
    at = datetime.datetime(2026, 3, 5, 13, 5, tzinfo=datetime.UTC)
    with translation.override("vi"), timezone.override(ZoneInfo("Europe/Paris")):
        exports.write_xlsx(out, "T", ["Họ và tên", "Lúc", "Số người"], [("Nguyễn Thị Ánh Tuyết", at, 211.0)])
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= len("Nguyễn Thị Ánh Tuyết")
    assert sheet["B1"].value == "Lúc (Europe/Paris)"
    assert sheet["B2"].value == datetime.datetime(2026, 3, 5, 14, 5) and sheet["B2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["C2"].value == 211 and isinstance(sheet["C2"].value, int)


def test_staff_csv_export_round_trips_vietnamese_names(client, hr_eu, people):
    client.force_login(hr_eu.user)
    response = client.get("/reports/export/staff.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    names = {row[1] for row in rows[1:]}
    # hr_eu's own profile lives in VP, outside their scope; Japan is outside too.
    assert names == {"Nguyễn Thị Ánh Tuyết", "Trần Đức Thắng", "Lê Thị Hồng Nhung"}
    entry = AuditEntry.objects.get(action="reports.export")
    assert entry.actor == hr_eu.user and entry.params["format"] == "csv" and entry.params["rows"] == 3


def test_staff_xlsx_export_round_trips_vietnamese_names(client, hr_eu, people, org):
    client.force_login(hr_eu.user)
    response = client.get(f"/reports/export/staff.xlsx?unit={org['FR'].pk}")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][1] in ("Họ và tên", "Full name")
    assert sorted(r[1] for r in rows[1:]) == ["Nguyễn Thị Ánh Tuyết", "Trần Đức Thắng"]
    assert AuditEntry.objects.get(action="reports.export").unit == org["FR"]


def test_export_outside_scope_is_404_and_bad_filter_is_400(client, hr_eu, people, org):
    client.force_login(hr_eu.user)
    assert client.get(f"/reports/export/staff.csv?unit={org['JP'].pk}").status_code == 404
    response = client.get("/reports/export/staff.csv?year=abc")
    assert response.status_code == 400
    assert "year" in response.content.decode().lower() or "năm" in response.content.decode().lower()
    assert client.get("/reports/export/nope.csv").status_code == 404
    assert client.get("/reports/export/staff.doc").status_code == 404
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["staff", "anonymous"])
def test_export_needs_hr(client, people, who):
    if who == "staff":
        client.force_login(people["fr1"].user)
        assert client.get("/reports/export/staff.csv").status_code == 404
    else:
        response = client.get("/reports/export/staff.csv")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_staff_export_is_the_staff_table_on_the_page(client, hr_eu, scored, training, org, fmt):
    """The export once had no mean score and no overdue column, and a 'score' column holding the grade."""
    import re

    client.force_login(hr_eu.user)
    page = client.get(f"/reports/units/{org['EU'].pk}/staff/").content.decode()
    table = page.split("<table>", 1)[1].split("</table>", 1)[0]
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    page_rows = [
        # A cell's action buttons (invite, resend) are not part of its value.
        [
            re.sub(r"<[^>]+>", "", re.sub(r"<form.*?</form>", "", c, flags=re.S)).strip()
            for c in re.findall(r"<td>(.*?)</td>", tr, re.S)
        ]
        for tr in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    ]
    response = client.get(f"/reports/export/staff.{fmt}?unit={org['EU'].pk}")
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    else:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        rows = [["" if v is None else str(v) for v in r] for r in book.active.iter_rows(values_only=True)]
    assert (
        rows[0]
        == headers
        == ["Mã cán bộ", "Họ và tên", "Đơn vị", "Chức vụ", "Điểm trung bình", "Khoá học quá hạn", "Đăng nhập"]
    )
    assert "Ngạch" not in rows[0]
    exported = sorted([c or "—" for c in r] for r in rows[1:])
    assert exported == sorted(page_rows)
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Nguyễn Thị Ánh Tuyết"][4] == "80" and int(by_name["Lê Thị Hồng Nhung"][5]) >= 1
