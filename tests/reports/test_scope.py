"""Walk every report page, export, chart-data download and API endpoint as someone who must not see the data."""

import datetime

import pytest
from django.test import Client

from reports import urls as report_urls
from reports.filters import Filters
from reports.models import ReportJob
from reports.services.evaluation import evaluation_period_close, evaluation_period_open
from reports.services.jobs import report_job_request

SECRET_NAMES = ("Nguyễn Thị Ánh Tuyết", "Trần Đức Thắng", "Lê Thị Hồng Nhung", "E-fr1", "E-de1")


@pytest.fixture
def world(hr_eu, people, scored, training, org, vn):
    open_period = evaluation_period_open(
        actor=hr_eu.user,
        unit=org["EU"],
        name="Năm 2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    closed = evaluation_period_open(
        actor=hr_eu.user,
        unit=org["FR"],
        name="Năm 2025",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    evaluation_period_close(actor=hr_eu.user, period=closed)
    job, _ = report_job_request(user=hr_eu.user, kind="staff", fmt="csv", filters=Filters())
    from reports.services.jobs import report_job_execute

    report_job_execute(job_id=job.pk)
    return {"period": open_period, "closed": closed, "job": ReportJob.objects.get(pk=job.pk), **people, **org}


def page_urls(w) -> dict[str, list[str]]:
    """url name -> concrete URLs pointing at hr_eu's data (EU subtree)."""
    p, c, fr1, fr, job = w["period"], w["closed"], w["fr1"], w["FR"], w["job"]
    charts = ["heatmap", "distribution", "trend", "compliance_units", "compliance_courses", "gaps", "staff"]
    return {
        "dashboard": [f"/reports/?unit={fr.pk}"],
        "staff": [f"/reports/units/{fr.pk}/staff/", f"/reports/units/{w['EU'].pk}/staff/?sort=-score"],
        "person": [f"/reports/people/{fr1.pk}/"],
        "reassessments": [f"/reports/units/{fr.pk}/reassessments/"],
        "audit": [],  # checked separately: it answers, but only with the caller's own units
        "export": [f"/reports/export/{t}.{fmt}?unit={fr.pk}" for t in charts for fmt in ("csv", "xlsx")]
        + [f"/reports/export/evaluation.csv?period={p.pk}", f"/reports/export/evaluation.xlsx?period={c.pk}"],
        "jobs": [],  # lists only the caller's own jobs
        "job_create": [],  # POST, below
        "job": [f"/reports/jobs/{job.pk}/"],
        "job_status": [f"/reports/jobs/{job.pk}/status"],
        "job_download": [f"/reports/jobs/{job.pk}/download"],
        "evaluations": [],  # lists only visible periods
        "evaluation": [f"/reports/evaluations/{p.pk}/", f"/reports/evaluations/{c.pk}/"],
        "evaluation_close": [],
        "evaluation_reopen": [],
        "evaluation_summary_pdf": [
            f"/reports/evaluations/{p.pk}/summary.pdf",
            f"/reports/evaluations/{c.pk}/summary.pdf?lang=en",
        ],
        "evaluation_person": [
            f"/reports/evaluations/{p.pk}/people/{fr1.pk}/",
            f"/reports/evaluations/{c.pk}/people/{fr1.pk}/",
        ],
        "evaluation_person_pdf": [f"/reports/evaluations/{p.pk}/people/{fr1.pk}.pdf"],
        "baseline": [f"/reports/baseline/?unit={fr.pk}", f"/reports/baseline/?unit={fr.pk}&status=not_started"],
        "baseline_pdf": [f"/reports/baseline.pdf?unit={fr.pk}"],
    }


def post_urls(w) -> list[tuple[str, dict]]:
    p, c, fr1, fr = w["period"], w["closed"], w["fr1"], w["FR"]
    return [
        (f"/reports/jobs/new/staff.csv?unit={fr.pk}", {}),
        (f"/reports/evaluations/{p.pk}/close", {}),
        (f"/reports/evaluations/{p.pk}/close", {"confirm": "1"}),
        (f"/reports/evaluations/{c.pk}/reopen", {"reason": "x"}),
        (f"/reports/evaluations/{p.pk}/people/{fr1.pk}/", {"comment": "x"}),
    ]


def api_urls(w) -> list[str]:
    return [
        "/api/v1/reports/staff?unit=FR",
        "/api/v1/reports/staff/E-fr1/competencies",
        "/api/v1/reports/units/FR/competencies",
        "/api/v1/reports/completions?unit=FR",
        f"/api/v1/reports/evaluations/{w['closed'].pk}/records",
        "/api/v1/reports/baseline?unit=FR",
    ]


def test_every_report_url_is_in_the_walk(world):
    names = {p.name for p in report_urls.urlpatterns}
    assert names == set(page_urls(world)), "a new report URL must be added to the scope walk"


def test_every_api_endpoint_is_in_the_walk(client, world):
    paths = {p for p in client.get("/api/v1/openapi.json").json()["paths"] if p.startswith("/api/v1/reports/")}
    walked = {"/api/v1/reports/units", "/api/v1/reports/staff", "/api/v1/reports/evaluations"} | {
        "/api/v1/reports/staff/{employee_number}/competencies",
        "/api/v1/reports/units/{code}/competencies",
        "/api/v1/reports/completions",
        "/api/v1/reports/evaluations/{period_id}/records",
        "/api/v1/reports/baseline",
    }
    assert paths == walked


def _no_secrets(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    for secret in SECRET_NAMES:
        assert secret not in text, (response.request["PATH_INFO"], secret)


@pytest.mark.parametrize("who", ["hr_other_subtree", "staff", "anonymous"])
def test_outsiders_never_get_data(world, hr_ap, who):
    client = Client()
    if who == "hr_other_subtree":
        client.force_login(hr_ap.user)
    elif who == "staff":
        client.force_login(world["jp1"].user)
    expected = {"hr_other_subtree": {404}, "staff": {404}, "anonymous": {302}}[who]

    for urls in page_urls(world).values():
        for url in urls:
            response = client.get(url)
            assert response.status_code in expected, (who, url, response.status_code)
            _no_secrets(response)
            if who == "anonymous":
                assert "/accounts/login/" in response["Location"]
    for url, data in post_urls(world):
        response = client.post(url, data)
        assert response.status_code in expected, (who, url, response.status_code)
    # the listing pages answer HR of another subtree, without the other subtree's data
    for url in ("/reports/", "/reports/audit/", "/reports/jobs/", "/reports/evaluations/"):
        response = client.get(url)
        if who == "hr_other_subtree":
            assert response.status_code == 200
            _no_secrets(response)
            assert "Năm 2025" not in response.content.decode()
        else:
            assert response.status_code in expected

    api_expected = {"hr_other_subtree": {404}, "staff": {403}, "anonymous": {401}}[who]
    for url in api_urls(world) + ["/api/v1/reports/units", "/api/v1/reports/staff", "/api/v1/reports/evaluations"]:
        response = client.get(url)
        if who == "hr_other_subtree" and url in (
            "/api/v1/reports/units",
            "/api/v1/reports/staff",
            "/api/v1/reports/evaluations",
        ):
            assert response.status_code == 200
            assert not ({"FR", "EU", "DE"} & {u.get("code") or u.get("unit_code") for u in response.json()["items"]})
        else:
            assert response.status_code in api_expected, (who, url, response.status_code)
        _no_secrets(response)

    # nothing was changed by the attempts
    world["period"].refresh_from_db()
    world["closed"].refresh_from_db()
    assert world["period"].status == "open" and world["closed"].status == "closed"
    assert ReportJob.objects.count() == 1
