"""Mapped statements with a result from a known officer become self-reported evidence; voiding withdraws it."""

from __future__ import annotations

import pytest

from assessments.models import Evidence, EvidenceSource
from assessments.xapi.models import ActivityMapping, CredentialScope, MatchKind
from assessments.xapi.services.evidence import score_of
from tests.factories import make_admin, make_person, make_unit

from .lrs_helpers import issue, new_id, statement

pytestmark = pytest.mark.django_db

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


@pytest.fixture
def competency(frameworks):
    from assessments.models import Competency

    return Competency.objects.filter(framework=frameworks["VN-DCF"]).order_by("pk").first()


@pytest.fixture
def officer(db):
    person = make_person("officer", make_unit("EMB"))
    person.user.email = "officer@example.org"
    person.user.save()
    return person


def scored(iri: str, scaled: float, **extra) -> dict:
    return statement(
        actor={"mbox": "mailto:officer@example.org"},
        object={"id": iri},
        result={"score": {"scaled": scaled}, **extra},
    )


def test_score_of():
    assert score_of({"score": {"scaled": 0.8}}) == 0.8
    assert score_of({"score": {"scaled": -0.5}}) == 0.0
    assert score_of({"score": {"raw": 3, "min": 1, "max": 5}}) == 0.5
    assert score_of({"success": True}) == 1.0
    assert score_of({"success": False}) == 0.0
    assert score_of({"completion": True}) is None
    assert score_of(None) is None


def test_mapped_statement_becomes_self_reported_evidence(officer, competency):
    ActivityMapping.objects.create(
        iri="https://tool.example/course/", match=MatchKind.PREFIX, competency=competency, weight=0.5
    )
    _issued, lrs = issue()
    sid = lrs.post("statements", scored("https://tool.example/course/7", 0.8)).json()[0]
    evidence = Evidence.objects.get()
    assert evidence.person == officer
    assert evidence.competency == competency
    assert evidence.score == pytest.approx(0.8)
    assert evidence.weight == 0.5
    assert evidence.source == EvidenceSource.XAPI and evidence.self_reported
    assert evidence.source_ref == f"xapi:{sid}"


def test_unmapped_unknown_or_resultless_statements_are_stored_only(officer, competency):
    ActivityMapping.objects.create(iri="https://tool.example/course/1", match=MatchKind.EXACT, competency=competency)
    _issued, lrs = issue()
    lrs.post("statements", scored("https://tool.example/course/10", 0.9))  # exact mapping: another activity
    stranger = scored("https://tool.example/course/1", 0.9)
    stranger["actor"] = {"mbox": "mailto:stranger@example.org"}
    lrs.post("statements", stranger)
    lrs.post(
        "statements",
        statement(actor={"mbox": "mailto:officer@example.org"}, object={"id": "https://tool.example/course/1"}),
    )
    assert not Evidence.objects.exists()


def test_outside_the_credentials_hr_scope_is_stored_only(officer, competency):
    ActivityMapping.objects.create(iri="https://tool.example/course/1", competency=competency)
    _issued, lrs = issue(scope=CredentialScope.WRITE, unit=make_unit("OTHER"))
    assert lrs.post("statements", scored("https://tool.example/course/1", 0.9)).status_code == 200
    assert not Evidence.objects.exists()


def test_voiding_supersedes_the_evidence(officer, competency):
    ActivityMapping.objects.create(iri="https://tool.example/course/1", competency=competency)
    _issued, lrs = issue()
    sid = lrs.post("statements", scored("https://tool.example/course/1", 0.9)).json()[0]
    assert Evidence.objects.live().count() == 1
    void = statement(id=new_id(), verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": sid})
    assert lrs.post("statements", void).status_code == 200
    assert Evidence.objects.live().count() == 0
    assert Evidence.objects.get().superseded_at is not None


def test_mapping_admin(client, competency):
    client.force_login(make_admin())
    url = "/admin/xapi_activity_mappings/"
    assert client.get(url).status_code == 200
    response = client.post(
        url + "new/",
        {"iri": "not an iri", "match": "exact", "competency": competency.pk, "band": "", "weight": "2"},
    )
    assert response.status_code == 200 and not ActivityMapping.objects.exists()
    client.post(
        url + "new/",
        {"iri": "https://tool.example/", "match": "prefix", "competency": competency.pk, "band": "", "weight": "0.5"},
    )
    assert ActivityMapping.objects.get().match == MatchKind.PREFIX


def test_the_statement_page_opens_from_the_evidence_for_whoever_may_see_the_person(client, officer, competency):
    ActivityMapping.objects.create(iri="https://tool.example/course/1", competency=competency)
    _issued, lrs = issue(name="Vendor e-learning")
    sid = lrs.post("statements", scored("https://tool.example/course/1", 0.75)).json()[0]
    url = f"/lrs/statements/{sid}/"
    client.force_login(officer.user)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vendor e-learning" in html and "0" in html and competency.code in html
    client.force_login(make_person("colleague", make_unit("ELSE")).user)
    assert client.get(url).status_code == 404
    client.force_login(make_admin())
    assert client.get(url).status_code == 200


def test_the_mappings_band_is_carried_by_the_evidence(officer, competency):
    from django.core.exceptions import ValidationError

    from assessments.models import ProficiencyLevel

    band = ProficiencyLevel.objects.filter(framework=competency.framework).order_by("-rank").first().band
    mapping = ActivityMapping(iri="https://tool.example/course/1", competency=competency, band=band)
    mapping.full_clean()
    mapping.save()
    _issued, lrs = issue()
    lrs.post("statements", scored("https://tool.example/course/1", 0.9))
    assert Evidence.objects.get().band == band
    with pytest.raises(ValidationError):
        ActivityMapping(iri="https://tool.example/x", competency=competency, band="galactic").full_clean()


def test_only_the_sender_may_void_a_statement_and_withdraw_its_evidence(officer, competency):
    """Another integration (even one that reads the unit's statements) cannot void what it did not send."""
    ActivityMapping.objects.create(iri="https://tool.example/course/1", competency=competency)
    _issued, sender = issue(name="Vendor")
    _other, intruder = issue(scope=CredentialScope.READ_UNIT, unit=officer.unit, name="Other tool")
    sid = sender.post("statements", scored("https://tool.example/course/1", 0.9)).json()[0]
    void = statement(id=new_id(), verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": sid})
    refused = intruder.post("statements", void)
    assert refused.status_code == 403
    assert "Chỉ hệ thống kết nối đã gửi một câu lệnh mới được huỷ bỏ câu lệnh đó." in refused.content.decode()
    assert Evidence.objects.live().count() == 1
    assert sender.get("statements", {"statementId": sid}).status_code == 200

    # A voiding sent before its target (by someone else) does not void the target when it arrives.
    later = new_id()
    early_void = statement(id=new_id(), verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": later})
    assert intruder.post("statements", early_void).status_code == 200
    put = sender.put("statements", scored("https://tool.example/course/1", 0.7), params={"statementId": later})
    assert put.status_code == 204
    assert sender.get("statements", {"statementId": later}).status_code == 200
    assert Evidence.objects.live().count() == 2
