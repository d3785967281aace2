"""The frameworks shipped by migration: exact counts, scales and the crosswalk."""

from assessments.models import Competency, CompetencyArea, CompetencyMapping, ProficiencyLevel


def test_vietnamese_framework_has_6_domains_24_competencies_8_levels(frameworks):
    vn = frameworks["VN-DCF"]
    assert CompetencyArea.objects.filter(framework=vn).count() == 6
    assert Competency.objects.filter(framework=vn).count() == 24
    levels = list(ProficiencyLevel.objects.filter(framework=vn).order_by("rank"))
    assert [lv.code for lv in levels] == ["CB1", "CB2", "TC1", "TC2", "NC1", "NC2", "CS1", "CS2"]
    assert [lv.tier_vi for lv in levels[::2]] == ["Cơ bản", "Trung cấp", "Nâng cao", "Chuyên sâu"]
    assert [a.name_vi for a in CompetencyArea.objects.filter(framework=vn).order_by("sort_order")] == [
        "Khai thác dữ liệu và thông tin",
        "Giao tiếp và hợp tác trong môi trường số",
        "Sáng tạo nội dung số",
        "An toàn",
        "Giải quyết vấn đề",
        "Ứng dụng trí tuệ nhân tạo",
    ]
    per_area = [a.competencies.count() for a in CompetencyArea.objects.filter(framework=vn).order_by("sort_order")]
    assert per_area == [3, 6, 4, 4, 4, 3]
    assert all(c.name_vi and c.name_en for c in Competency.objects.filter(framework=vn))


def test_digcomp_has_5_areas_21_competences_8_levels(frameworks):
    dig = frameworks["DIGCOMP"]
    assert dig.version == "2.2"
    assert CompetencyArea.objects.filter(framework=dig).count() == 5
    assert Competency.objects.filter(framework=dig).count() == 21
    tiers = list(ProficiencyLevel.objects.filter(framework=dig).order_by("rank").values_list("tier_en", flat=True))
    assert tiers == ["Foundation"] * 2 + ["Intermediate"] * 2 + ["Advanced"] * 2 + ["Highly specialised"] * 2
    assert Competency.objects.get(framework=dig, code="2.5").name_en == "Netiquette"


def test_crosswalk_is_complete(frameworks, vn):
    # every DigComp competence maps to exactly one Vietnamese competency with the same code
    for comp in Competency.objects.filter(framework=frameworks["DIGCOMP"]):
        targets = list(
            CompetencyMapping.objects.filter(source=comp).values_list("target__framework__code", "target__code")
        )
        assert targets == [("VN-DCF", comp.code)]
    # every Vietnamese competency of domains 1–5 is covered by DigComp; domain 6 (AI) is the Circular's addition
    covered = set(
        CompetencyMapping.objects.filter(source__framework=frameworks["DIGCOMP"]).values_list("target__code", flat=True)
    )
    assert covered == {code for code in vn if not code.startswith("6.")}
    # each ministry platform competence maps to at least one Vietnamese code
    mofa = Competency.objects.filter(framework=frameworks["MOFA-DP"])
    assert mofa.count() == 6
    for comp in mofa:
        assert CompetencyMapping.objects.filter(source=comp, target__framework__code="VN-DCF").exists(), comp.code


def test_levels_thresholds_are_increasing(frameworks):
    for fw in frameworks.values():
        thresholds = list(fw.levels.order_by("rank").values_list("min_score", flat=True))
        assert thresholds == sorted(thresholds) and thresholds[0] == 0.0


def test_new_version_copies_the_framework_and_leaves_old_scores_alone(frameworks, vn, org):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    from assessments.models import CompetencyScore, Framework
    from assessments.selectors import current_framework
    from assessments.services.evidence import EvidenceItem, evidence_record
    from tests.factories import make_person, source_ref

    person = make_person("v", org["FR"])
    for i in range(2):
        evidence_record(
            person=person,
            items=[EvidenceItem(vn["6.1"].pk, 0.7)],
            source="manual",
            source_ref=source_ref(person, f"q:{i}"),
        )
    before = list(CompetencyScore.objects.values_list("competency_id", "score", "level_id"))
    out = StringIO()
    call_command("new_framework_version", "DIGCOMP", "3.0", stdout=out)
    assert "21 competencies, 8 levels" in out.getvalue()
    call_command("new_framework_version", "VN-DCF", "2026", stdout=StringIO())
    new = current_framework("VN-DCF")
    assert new.version == "2026" and Framework.objects.filter(code="VN-DCF").count() == 2
    assert new.competencies.count() == 24 and new.areas.count() == 6 and new.levels.count() == 8
    assert not Framework.objects.get(pk=frameworks["VN-DCF"].pk).is_current
    # the new DigComp's crosswalk still points at the Vietnamese competencies it was copied with
    dig = current_framework("DIGCOMP")
    assert CompetencyMapping.objects.filter(source__framework=dig).count() == 21
    assert list(CompetencyScore.objects.values_list("competency_id", "score", "level_id")) == before
    with pytest.raises(CommandError, match="already has a version"):
        call_command("new_framework_version", "VN-DCF", "2026", stdout=StringIO())
    with pytest.raises(CommandError, match="No current framework"):
        call_command("new_framework_version", "NOPE", "1", stdout=StringIO())


def test_vn_dcf_5_3_has_its_circular_name_and_the_ministry_framework_is_a_draft_proposal(frameworks, client):
    from django.utils import translation

    from assessments.models import Competency
    from tests.factories import make_person, make_unit

    assert Competency.objects.get(framework=frameworks["VN-DCF"], code="5.3").name_vi == "Sử dụng sáng tạo công nghệ số"
    mofa = frameworks["MOFA-DP"]
    assert mofa.is_draft and not frameworks["VN-DCF"].is_draft
    with translation.override("en"):
        assert mofa.name.endswith("(draft proposal)") and "(draft proposal)" in str(mofa)
    with translation.override("vi"):
        assert mofa.name.endswith("(dự thảo đề xuất)")
    person = make_person("lan", make_unit("BNG", kind="ministry"))
    client.force_login(person.user)
    data = {f["code"]: f for f in client.get("/api/v1/frameworks/").json()}
    assert data["MOFA-DP"]["draft"] is True and data["VN-DCF"]["draft"] is False
    assert data["VN-DCF"]["validity_months"] == 24
    from django.urls import reverse

    page = client.get(reverse("assessments:my_competencies"), {"framework": "MOFA-DP"})
    html = page.content.decode()
    assert page.status_code == 200 and ("draft proposal" in html or "dự thảo đề xuất" in html)
