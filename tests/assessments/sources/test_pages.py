"""Every evidence row opens to its source, within the viewer's permissions (lms.policy)."""

import pytest
from django.utils import timezone

from assessments.models import Evidence
from assessments.sources import registry
from assessments.sources.services import manual_assessment_record
from lms import roles
from tests.factories import make_hr, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings, client):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def officer(org):
    return make_person("officer", org["FR"])


@pytest.fixture
def trainer(org):
    return make_person("trainer", org["BNG"], role=roles.TRAINERS)


@pytest.fixture
def assessed(trainer, officer, vn):
    assessment = manual_assessment_record(
        actor=trainer.user, person=officer, competency=vn["4.2"], score=0.7, note="Ký số công văn đi, không cần hỗ trợ"
    )
    return assessment, Evidence.objects.get(source_ref=assessment.source_ref)


def url(evidence):
    return f"/people/{evidence.person_id}/evidence/{evidence.pk}/"


def test_the_learner_opens_a_manual_assessment_with_its_audit_entry(client, officer, assessed):
    assessment, evidence = assessed
    client.force_login(officer.user)
    response = client.get(url(evidence))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ký số công văn đi, không cần hỗ trợ" in html
    assert f"#{assessment.audit_entry.pk}" in html and "competency.manual_assessment" in html
    assert assessment.assessor_name in html


def test_hr_of_the_unit_opens_it_and_reaches_the_audit_trail(client, org, assessed):
    _assessment, evidence = assessed
    hr = make_hr("hr_eu", org["EU"], org["EU"])
    client.force_login(hr.user)
    response = client.get(url(evidence))
    assert response.status_code == 200
    assert response.context["resolved"].open_url == "/reports/audit/?action=competency.manual_assessment"


@pytest.mark.parametrize("who", ["other_staff", "hr_elsewhere", "trainer"])
def test_nobody_else_sees_it(client, org, assessed, who, trainer):
    _assessment, evidence = assessed
    viewer = {
        "other_staff": lambda: make_person("someone", org["FR"]).user,
        "hr_elsewhere": lambda: make_hr("hr_jp", org["JP"], org["JP"]).user,
        "trainer": lambda: trainer.user,
    }[who]()
    client.force_login(viewer)
    assert client.get(url(evidence)).status_code == 404


def test_signed_out_visitors_go_to_sign_in(client, assessed):
    _assessment, evidence = assessed
    assert client.get(url(evidence)).status_code == 302


def test_the_page_refuses_a_person_and_row_that_do_not_match(client, officer, assessed, org):
    _assessment, evidence = assessed
    client.force_login(officer.user)
    assert client.get(f"/people/{evidence.person_id + 1000}/evidence/{evidence.pk}/").status_code == 404


def test_a_row_whose_source_is_gone_says_so(client, officer, vn):
    # written past the services (as the old demo did): nothing to open
    row = Evidence.objects.create(
        person=officer,
        competency=vn["1.1"],
        score=0.5,
        source="quiz",
        source_ref="demo:quiz:1:1",
        recorded_at=timezone.now(),
    )
    client.force_login(officer.user)
    response = client.get(url(row))
    assert response.status_code == 404
    assert "Source not found" in response.content.decode()
    assert registry.resolvable([(officer.pk, "demo:quiz:1:1")]) == {(officer.pk, "demo:quiz:1:1"): False}


def test_manual_assessments_from_before_the_model_resolve_through_their_audit_entry(client, officer, trainer, vn):
    from reports.services.audit import audit_record

    row = Evidence.objects.create(
        person=officer,
        competency=vn["1.1"],
        score=0.6,
        source="manual",
        source_ref="manual:00ff",
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=trainer.user,
        action="competency.manual_assessment",
        target=row,
        params={"source_ref": "manual:00ff", "score_percent": 60, "note": "Quan sát trực tiếp"},
    )
    assert registry.resolvable([(officer.pk, "manual:00ff")]) == {(officer.pk, "manual:00ff"): True}
    client.force_login(officer.user)
    response = client.get(url(row))
    assert response.status_code == 200 and "Quan sát trực tiếp" in response.content.decode()


def test_the_evidence_lists_link_to_the_sources(client, officer, org, assessed):
    _assessment, evidence = assessed
    client.force_login(officer.user)
    assert url(evidence) in client.get("/my/competencies/").content.decode()
    hr = make_hr("hr_eu", org["EU"], org["EU"])
    client.force_login(hr.user)
    assert url(evidence) in client.get(f"/reports/people/{officer.pk}/").content.decode()


def test_sources_of_apps_not_installed_are_refused_not_crashed(officer, vn):
    from django.apps import apps

    from assessments.errors import EvidenceError
    from assessments.services.evidence import EvidenceItem, evidence_record

    for source, ref, label in (("scorm", "scorm-attempt:1", "scorm"), ("diagnostic", "placement:1", "placement")):
        if apps.is_installed(f"courses.{label}") or apps.is_installed(f"assessments.{label}"):
            continue
        kind = registry.kind_of(ref)
        assert kind is not None and kind.existing(officer.pk, ["1"]) == set()
        with pytest.raises(EvidenceError):
            evidence_record(person=officer, items=[EvidenceItem(vn["1.1"].pk, 0.5)], source=source, source_ref=ref)
