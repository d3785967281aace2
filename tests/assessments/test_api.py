"""Read API: frameworks and the signed-in person's scores."""

import pytest

from assessments.services.evidence import EvidenceItem, evidence_record
from tests.factories import make_person, source_ref


@pytest.fixture
def lan(org, vn):
    person = make_person("lan", org["FR"])
    for i in range(2):
        evidence_record(
            person=person,
            items=[EvidenceItem(vn["2.4"].pk, 0.8, band="advanced")],
            source="manual",
            source_ref=source_ref(person, f"q:{i}"),
        )
    return person


def test_frameworks_list_with_counts(client, lan):
    client.force_login(lan.user)
    data = {f["code"]: f for f in client.get("/api/v1/frameworks/").json()}
    assert (data["VN-DCF"]["areas"], data["VN-DCF"]["competencies"], data["VN-DCF"]["levels"]) == (6, 24, 8)
    assert (data["DIGCOMP"]["areas"], data["DIGCOMP"]["competencies"], data["DIGCOMP"]["version"]) == (5, 21, "2.2")
    assert data["MOFA-DP"]["competencies"] == 6


def test_framework_detail(client, lan):
    client.force_login(lan.user)
    data = client.get("/api/v1/frameworks/VN-DCF").json()
    assert [lv["code"] for lv in data["levels"]] == ["CB1", "CB2", "TC1", "TC2", "NC1", "NC2", "CS1", "CS2"]
    assert sum(len(a["competencies"]) for a in data["areas"]) == 24
    first = data["areas"][0]["competencies"][0]
    assert first["code"] == "1.1" and first["name_en"].startswith("Browsing") and first["name_vi"].startswith("Duyệt")
    response = client.get("/api/v1/frameworks/NOPE")
    assert response.status_code == 404


def test_my_competencies(client, lan, org):
    other = make_person("binh", org["FR"])
    client.force_login(lan.user)
    data = client.get("/api/v1/me/competencies").json()
    assert len(data) == 1
    assert data[0]["competency"] == "2.4" and data[0]["level"] == "NC2" and data[0]["evidence_count"] == 2
    assert data[0]["enough_evidence"] is True and 0 < data[0]["confidence"] < 1
    assert len(client.get("/api/v1/me/competencies", {"framework": "VN-DCF"}).json()) == 1
    assert client.get("/api/v1/me/competencies", {"framework": "DIGCOMP"}).json() == []
    client.force_login(other.user)
    assert client.get("/api/v1/me/competencies").json() == []


def test_api_needs_authentication(client, lan):
    assert client.get("/api/v1/frameworks/").status_code == 401
    assert client.get("/api/v1/me/competencies").status_code == 401


def test_in_openapi_schema(client, lan):
    client.force_login(lan.user)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/frameworks/",
        "/api/v1/frameworks/{code}",
        "/api/v1/me/competencies",
        "/api/v1/me/competencies/history",
    } <= set(paths)


def test_my_history(client, lan):
    from django.core.management import call_command

    call_command("recompute_competencies", "--no-progress", "--history-months", "3", stdout=__import__("io").StringIO())
    client.force_login(lan.user)
    data = client.get("/api/v1/me/competencies/history").json()
    assert len(data) == 1 and data[0]["competency"] == "2.4" and data[0]["score"] == pytest.approx(0.8)
    assert client.get("/api/v1/me/competencies/history", {"framework": "DIGCOMP"}).json() == []
    assert client.get("/api/v1/me/competencies/history", {"framework": "NOPE"}).status_code == 404
