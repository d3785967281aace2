import datetime

from reports.filters import Filters
from reports.selectors import compliance

TODAY = datetime.date(2026, 6, 15)


def test_compliance_by_unit_matches_hand_count(hr_eu, training):
    from django.utils import translation

    with translation.override("vi"):  # unit labels are in the reader's language
        rows = compliance.by_unit(hr_eu.user, Filters(), today=TODAY)
    got = {r["label"]: (r["assigned"], r["on_time"], r["late"], r["overdue"]) for r in rows}
    assert got == {"Đại sứ quán tại Đức": (2, 0, 0, 1), "Đại sứ quán tại Pháp": (2, 1, 1, 0)}


def test_compliance_by_course_and_year_filter(hr_eu, training):
    rows = compliance.by_course(hr_eu.user, Filters(), today=TODAY)
    assert [(r["label"], r["assigned"], r["on_time"], r["late"], r["overdue"]) for r in rows] == [
        ("Cổng thông tin điện tử", 3, 1, 1, 1),
        ("Chữ ký số", 1, 0, 0, 0),
    ]
    assert compliance.by_course(hr_eu.user, Filters(year=2025), today=TODAY) == []


def test_courses_that_address_a_competency(training, vn):
    found = compliance.courses_for_competencies([vn["c"]["1.2"].pk, vn["c"]["1.1"].pk])
    assert found == {vn["c"]["1.2"].pk: ["Cổng thông tin điện tử"]}


def test_dashboard_lists_courses_next_to_gaps(client, hr_eu, scored, target_chuyen_vien, training):
    client.force_login(hr_eu.user)
    body = client.get("/reports/").content.decode()
    assert "Cổng thông tin điện tử" in body
