"""Wagtail admin: frameworks and target profiles editable, evidence read-only, manual assessment by trainers."""

import pytest
from django.urls import reverse

from assessments.errors import EvidenceError
from assessments.models import Evidence, Framework, TargetProfile
from assessments.sources.models import AssessorGrant, ManualAssessment
from assessments.sources.services import manual_assessment_record
from lms import policy, roles
from reports.models import AuditEntry
from tests.factories import make_admin, make_person

MANUAL = "/admin/competencies/manual-assessment/"


@pytest.fixture
def trainer(org):
    return make_person("trainer", org["BNG"], role=roles.TRAINERS)


@pytest.fixture
def officer(org):
    return make_person("officer", org["FR"])


def post(client, **overrides):
    data = {
        "employee_number": "E-officer",
        "competency": overrides.pop("competency"),
        "score_percent": "80",
        "observed_on": "2026-01-15",
        "note": "Signed and routed a note verbale unaided",
    }
    data.update(overrides)
    return client.post(MANUAL, data)


def test_trainer_records_a_manual_assessment(client, trainer, officer, vn):
    roles.sync_roles()
    client.force_login(trainer.user)
    assert client.get(MANUAL, {"employee_number": "E-officer"}).status_code == 200
    response = post(client, competency=vn["4.2"].pk)
    assert response.status_code == 302
    ev = Evidence.objects.get()
    assert (ev.person, ev.competency, ev.score, ev.source, ev.recorded_by) == (
        officer,
        vn["4.2"],
        0.8,
        "manual",
        trainer.user,
    )
    assert ev.note == "Signed and routed a note verbale unaided"
    assessment = ManualAssessment.objects.get()
    assert ev.source_ref == f"manual-assessment:{assessment.pk}" and ev.recorded_at.date().isoformat() == "2026-01-15"
    # no level named and no assessor permission: the lowest level, so it never certifies above the beginner band
    assert (assessment.person, assessment.assessor, assessment.score, assessment.level.rank) == (
        officer,
        trainer.user,
        0.8,
        1,
    )
    assert ev.observed_level == assessment.level and ev.band == assessment.level.band
    assert officer.competency_scores.get().score == pytest.approx(0.8)
    entry = AuditEntry.objects.get()
    assert assessment.audit_entry == entry
    assert (entry.action, entry.actor, entry.unit) == ("competency.manual_assessment", trainer.user, officer.unit)
    assert (entry.target_type, entry.target_id) == ("evidence_sources.ManualAssessment", str(assessment.pk))
    assert entry.params["evidence"] == ev.pk
    assert entry.params["competency"] == "4.2" and entry.params["score_percent"] == 80
    assert entry.params["person"] == "E-officer" and entry.params["source_ref"] == ev.source_ref


def test_manual_assessment_and_its_audit_entry_are_one_transaction(trainer, officer, vn, monkeypatch):
    from lms.accounts import audit

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(audit, "record_many", broken)
    with pytest.raises(RuntimeError):
        manual_assessment_record(actor=trainer.user, person=officer, competency=vn["4.2"], score=0.8, note="x")
    assert not Evidence.objects.exists() and not AuditEntry.objects.exists()
    assert not ManualAssessment.objects.exists()


def test_the_assessors_permission_limits_the_level_they_may_record(client, trainer, officer, vn, frameworks):
    roles.sync_roles()
    fw = frameworks["VN-DCF"]
    levels = {lv.code: lv for lv in fw.levels.all()}
    client.force_login(trainer.user)
    # without a permission: results only, no level
    response = post(client, competency=vn["4.2"].pk, level=levels["CB1"].pk)
    assert "no permission to certify levels" in " ".join(response.context["form"].errors["level"])
    AssessorGrant.objects.create(user=trainer.user, framework=fw, max_level=levels["TC2"])
    # above the permission: refused, nothing written
    response = post(client, competency=vn["4.2"].pk, level=levels["NC1"].pk)
    assert response.status_code == 200
    assert "up to TC2" in " ".join(response.context["form"].errors["level"])
    assert not Evidence.objects.exists() and not AuditEntry.objects.exists() and not ManualAssessment.objects.exists()
    # a level of another framework: refused
    other = frameworks["DIGCOMP"].levels.order_by("rank").first()
    with pytest.raises(EvidenceError, match="another framework"):
        manual_assessment_record(
            actor=trainer.user, person=officer, competency=vn["4.2"], score=0.8, level=other, note="x"
        )
    # within it: recorded with the level observed
    assert post(client, competency=vn["4.2"].pk, level=levels["TC2"].pk).status_code == 302
    assessment = ManualAssessment.objects.get()
    assert assessment.level == levels["TC2"] and AuditEntry.objects.get().params["level"] == "TC2"


def test_the_service_checks_who_may_assess(trainer, officer, vn):
    with pytest.raises(EvidenceError, match="may not record an assessment"):
        manual_assessment_record(actor=officer.user, person=trainer, competency=vn["4.2"], score=0.5, note="x")
    with pytest.raises(EvidenceError, match="may not record an assessment"):
        manual_assessment_record(actor=trainer.user, person=trainer, competency=vn["4.2"], score=0.5, note="x")
    assert not ManualAssessment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"score_percent": "120"}, "score_percent", "100"),
        ({"employee_number": "E-nobody"}, "employee_number", "No staff member"),
        ({"employee_number": "E-trainer"}, "employee_number", "yourself"),
        ({"observed_on": "2999-01-01"}, "observed_on", "future"),
        ({"note": ""}, "note", ""),
        ({"competency": 999999}, "competency", ""),
    ],
)
def test_bad_manual_assessments_write_nothing(client, trainer, officer, vn, overrides, field, message):
    roles.sync_roles()
    client.force_login(trainer.user)
    overrides.setdefault("competency", vn["4.2"].pk)
    response = post(client, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not Evidence.objects.exists() and not AuditEntry.objects.exists()


def test_inactive_officer_is_refused(client, trainer, officer, vn):
    roles.sync_roles()
    officer.is_active = False
    officer.save()
    client.force_login(trainer.user)
    response = post(client, competency=vn["4.2"].pk)
    assert "not an active staff member" in " ".join(response.context["form"].errors["employee_number"])
    assert not Evidence.objects.exists()


def test_staff_cannot_record_assessments(client, officer, vn):
    roles.sync_roles()
    client.force_login(officer.user)
    response = client.get(MANUAL)
    assert response.status_code in (302, 403)
    response = post(client, competency=vn["4.2"].pk)
    assert response.status_code in (302, 403)
    assert not Evidence.objects.exists()


def test_policy_rules(trainer, officer, org):
    hr = make_person("hr_other", org["JP"], role=roles.HR)
    assert policy.can(trainer.user, "competency.assess_manually")
    assert policy.can(trainer.user, "competency.assess_manually", officer)
    assert not policy.can(trainer.user, "competency.assess_manually", trainer)
    assert not policy.can(officer.user, "competency.assess_manually", officer)
    assert policy.can(officer.user, "competency.view_person", officer)
    assert not policy.can(hr.user, "competency.view_person", officer)
    assert not policy.can(trainer.user, "competency.view_person", officer)


def test_admin_edits_frameworks_and_target_profiles(client, frameworks, vn):
    roles.sync_roles()
    admin = make_admin()
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    fw = frameworks["VN-DCF"]
    assert client.get(reverse("wagtailsnippets_assessments_framework:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_assessments_framework:edit", args=[fw.pk])).status_code == 200
    assert client.get(reverse("wagtailsnippets_assessments_competency:edit", args=[vn["1.1"].pk])).status_code == 200
    level = fw.levels.get(code="TC2")
    response = client.post(
        reverse("wagtailsnippets_assessments_targetprofile:add"),
        {
            "framework": fw.pk,
            "code": "consular-officer",
            "name_vi": "Cán bộ lãnh sự",
            "name_en": "Consular officer",
            "positions": "Lãnh sự\nPhó lãnh sự",
            "description": "",
            "requirements-TOTAL_FORMS": "1",
            "requirements-INITIAL_FORMS": "0",
            "requirements-MIN_NUM_FORMS": "0",
            "requirements-MAX_NUM_FORMS": "1000",
            "requirements-0-competency": vn["4.2"].pk,
            "requirements-0-level": level.pk,
            "requirements-0-id": "",
            "requirements-0-ORDER": "1",
            "requirements-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    profile = TargetProfile.objects.get(code="consular-officer")
    assert profile.position_keys() == {"lãnh sự", "phó lãnh sự"}
    assert [(r.competency, r.level) for r in profile.requirements.all()] == [(vn["4.2"], level)]


def test_evidence_is_read_only_in_the_admin(client, frameworks):
    roles.sync_roles()
    admin = make_admin()
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get(reverse("competency_evidence:index")).status_code == 200
    assert client.get(reverse("competency_evidence:add")).status_code in (302, 403)
    assert Framework.objects.exists()


def test_admin_edits_a_competency_with_indicators_and_crosswalk(client, frameworks, vn):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from assessments.models import Competency

    roles.sync_roles()
    client.force_login(make_admin())
    dig = Competency.objects.get(framework=frameworks["DIGCOMP"], code="4.2")
    mapping = dig.mappings.get()
    level = frameworks["DIGCOMP"].levels.get(rank=3)
    data = nested_form_data(
        {
            "framework": dig.framework_id,
            "area": dig.area_id,
            "code": "4.2",
            "sort_order": dig.sort_order,
            "name_vi": dig.name_vi,
            "name_en": "Protecting personal data and privacy (edited)",
            "description_vi": dig.description_vi,
            "description_en": dig.description_en,
            "indicators": inline_formset(
                [{"level": level.pk, "text_vi": "Bật xác thực hai lớp", "text_en": "Turns on two-factor sign-in"}]
            ),
            "mappings": inline_formset(
                [
                    {"id": mapping.pk, "target": vn["4.2"].pk, "relation": "equivalent"},
                    {"target": vn["2.6"].pk, "relation": "partial"},
                ],
                initial=1,
            ),
        }
    )
    response = client.post(reverse("wagtailsnippets_assessments_competency:edit", args=[dig.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    dig.refresh_from_db()
    assert dig.name_en.endswith("(edited)")
    assert [(i.level, i.text_en) for i in dig.indicators.all()] == [(level, "Turns on two-factor sign-in")]
    assert set(dig.mappings.values_list("target__code", "relation")) == {("4.2", "equivalent"), ("2.6", "partial")}
