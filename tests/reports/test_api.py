import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from lms.models import StaffProfile


def test_units_are_flat_paginated_and_scoped(client, hr_eu, org):
    client.force_login(hr_eu.user)
    data = client.get("/api/v1/reports/units?limit=2").json()
    assert data["count"] == 3 and data["limit"] == 2 and len(data["items"]) == 2
    rest = client.get("/api/v1/reports/units?limit=2&offset=2").json()["items"]
    codes = [u["code"] for u in data["items"] + rest]
    assert codes == ["EU", "FR", "DE"] or sorted(codes) == ["DE", "EU", "FR"]
    assert next(u for u in data["items"] if u["code"] == "EU")["parent_code"] == "BNG"


def test_staff_by_bearer_token_is_scoped_with_updated_since_and_304(hr_eu, people, capsys):
    call_command("create_api_token", "hr_eu")
    token = capsys.readouterr().out.strip()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.get("/api/v1/reports/staff")
    assert response.status_code == 200
    data = response.json()
    assert {p["employee_number"] for p in data["items"]} == {"E-fr1", "E-fr2", "E-de1"}
    fr1 = next(p for p in data["items"] if p["employee_number"] == "E-fr1")
    assert (
        fr1["full_name"] == "Nguyễn Thị Ánh Tuyết" and fr1["unit_code"] == "FR" and fr1["position"] == "Bí thư thứ nhất"
    )

    last_modified = response["Last-Modified"]
    assert api.get("/api/v1/reports/staff", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    later = timezone.now() + datetime.timedelta(seconds=5)
    StaffProfile.objects.filter(pk=people["de1"].pk).update(position="Tham tán", updated_at=later)
    again = api.get("/api/v1/reports/staff", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert again.status_code == 200
    since = (later - datetime.timedelta(seconds=1)).isoformat()
    changed = api.get("/api/v1/reports/staff", {"updated_since": since}).json()
    assert [p["employee_number"] for p in changed["items"]] == ["E-de1"]
    assert api.get("/api/v1/reports/staff?unit=FR&limit=1").json()["count"] == 2
    assert api.get("/api/v1/reports/staff?unit=JP").status_code == 404
    assert http_date  # noqa


@pytest.mark.parametrize("query", ["limit=0", "limit=5000", "offset=-1", "updated_since=yesterday"])
def test_bad_paging_or_dates_are_400_with_a_message(client, hr_eu, query):
    client.force_login(hr_eu.user)
    response = client.get(f"/api/v1/reports/staff?{query}")
    assert response.status_code == 400 and response.json()["detail"]


def test_staff_user_gets_403_and_anonymous_401(client, people):
    assert client.get("/api/v1/reports/staff").status_code == 401
    client.force_login(people["fr1"].user)
    assert client.get("/api/v1/reports/staff").status_code == 403


def test_person_and_unit_competency_levels(client, hr_eu, scored):
    client.force_login(hr_eu.user)
    person = client.get("/api/v1/reports/staff/E-de1/competencies").json()
    assert person["full_name"] == "Lê Thị Hồng Nhung"
    assert {(i["competency"], i["score"], i["level"]) for i in person["items"]} == {
        ("1.1", 0.6, "NC1"),
        ("1.2", 0.2, "CB2"),
    }
    assert client.get("/api/v1/reports/staff/E-jp1/competencies").status_code == 404
    unit = client.get("/api/v1/reports/units/FR/competencies?framework=VN-DCF").json()
    assert unit["people"] == 2
    (c11,) = [i for i in unit["items"] if i["competency"] == "1.1"]
    assert c11["people_scored"] == 2 and c11["mean_score"] == 0.65 and c11["levels"] == {"CS1": 1, "NC1": 1}
    assert client.get("/api/v1/reports/units/JP/competencies").status_code == 404


def test_completions_since_a_date(client, hr_eu, training):
    client.force_login(hr_eu.user)
    data = client.get("/api/v1/reports/completions").json()
    assert [(c["employee_number"], c["course_title"]) for c in data["items"]] == [
        ("E-fr1", "Cổng thông tin điện tử"),
        ("E-fr2", "Cổng thông tin điện tử"),
        ("E-fr1", "Chữ ký số"),
    ]
    since = client.get("/api/v1/reports/completions", {"since": "2026-03-01T00:00:00+07:00"}).json()
    assert [c["employee_number"] for c in since["items"]] == ["E-fr2", "E-fr1"]
    first = client.get("/api/v1/reports/completions")
    assert client.get("/api/v1/reports/completions", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_closed_evaluation_snapshots(client, hr_eu, hr_ap, org, scored):
    import datetime as dt

    from reports.services.evaluation import evaluation_period_close, evaluation_period_open

    period = evaluation_period_open(
        actor=hr_eu.user, unit=org["EU"], name="Năm 2026", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31)
    )
    client.force_login(hr_eu.user)
    assert client.get("/api/v1/reports/evaluations").json()["count"] == 0
    assert client.get(f"/api/v1/reports/evaluations/{period.pk}/records").status_code == 404
    evaluation_period_close(actor=hr_eu.user, period=period)
    listed = client.get("/api/v1/reports/evaluations").json()
    assert [p["id"] for p in listed["items"]] == [period.pk] and listed["items"][0]["version"] == 1
    records = client.get(f"/api/v1/reports/evaluations/{period.pk}/records?limit=2")
    body = records.json()
    assert body["count"] == 3 and len(body["items"]) == 2
    assert (
        client.get(
            f"/api/v1/reports/evaluations/{period.pk}/records", HTTP_IF_MODIFIED_SINCE=records["Last-Modified"]
        ).status_code
        == 304
    )
    client.force_login(hr_ap.user)
    assert client.get(f"/api/v1/reports/evaluations/{period.pk}/records").status_code == 404
    assert client.get("/api/v1/reports/evaluations").json()["count"] == 0


def test_openapi_lists_the_reports_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/reports/units",
        "/api/v1/reports/staff",
        "/api/v1/reports/staff/{employee_number}/competencies",
        "/api/v1/reports/units/{code}/competencies",
        "/api/v1/reports/completions",
        "/api/v1/reports/evaluations",
        "/api/v1/reports/evaluations/{period_id}/records",
    ):
        assert path in paths
