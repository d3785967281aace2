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
