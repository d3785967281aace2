"""Evidence carries the band its source assessed; the service refuses a band the framework does not have."""

import pytest

from assessments.errors import EvidenceError
from assessments.models import Band, Competency, CompetencyArea, Evidence, Framework, ProficiencyLevel
from assessments.services.evidence import EvidenceItem, evidence_record
from assessments.sources.services import manual_assessment_record
from tests.factories import make_person, source_ref


@pytest.fixture
def person(org):
    return make_person("lan", org["FR"])


@pytest.fixture
def two_band_framework(db):
    """A framework whose scale stops at the intermediate band."""
    fw = Framework.objects.create(code="SMALL", version="1", name_vi="Nhỏ", name_en="Small")
    for rank, code, band in ((1, "A1", Band.BASIC), (2, "A2", Band.INTERMEDIATE)):
        ProficiencyLevel.objects.create(
            framework=fw, rank=rank, code=code, name_vi=code, name_en=code, band=band, min_score=(rank - 1) / 2
        )
    area = CompetencyArea.objects.create(framework=fw, code="A", name_vi="A", name_en="A")
    return Competency.objects.create(framework=fw, area=area, code="A.1", name_vi="A.1", name_en="A.1")


def record(person, items, **kwargs):
    kwargs.setdefault("source", "manual")
    kwargs.setdefault("source_ref", source_ref(person, "quiz-attempt:1"))
    return evidence_record(person=person, items=items, **kwargs)


def test_shipped_scales_put_two_levels_in_each_of_the_four_bands(frameworks):
    for code in ("VN-DCF", "DIGCOMP", "MOFA-DP"):
        bands = list(
            ProficiencyLevel.objects.filter(framework=frameworks[code]).order_by("rank").values_list("band", flat=True)
        )
        assert bands == ["basic", "basic", "intermediate", "intermediate", "advanced", "advanced"] + ["specialised"] * 2


def test_evidence_stores_the_band_it_was_recorded_at(person, vn):
    (row,) = record(person, [EvidenceItem(vn["1.1"].pk, 0.9, band="advanced")])
    assert Evidence.objects.get(pk=row.pk).band == "advanced"
    assert row.observed_level_id is None


def test_evidence_without_a_band_is_taken_at_the_lowest_band(person, vn):
    (row,) = record(person, [EvidenceItem(vn["1.1"].pk, 0.9)])
    assert Evidence.objects.get(pk=row.pk).band == "basic"


@pytest.mark.parametrize("band", ["expert", "BASIC", 3, None])
def test_an_unknown_band_is_refused_and_nothing_is_written(person, vn, band):
    with pytest.raises(EvidenceError) as exc:
        record(person, [EvidenceItem(vn["1.1"].pk, 0.5), EvidenceItem(vn["1.2"].pk, 0.5, band=band)])
    assert exc.value.field == "items[1].band"
    assert "Unknown band" in str(exc.value)
    assert not Evidence.objects.exists()


def test_a_band_the_framework_does_not_have_is_refused(person, two_band_framework):
    record(person, [EvidenceItem(two_band_framework.pk, 0.5, band="intermediate")])
    with pytest.raises(EvidenceError) as exc:
        record(
            person,
            [EvidenceItem(two_band_framework.pk, 0.5, band="advanced")],
            source_ref=source_ref(person, "quiz-attempt:2"),
        )
    assert exc.value.field == "items[0].band"
    assert str(exc.value) == "The competency's framework has no level in the band “Advanced”: choose one of its bands."
    assert Evidence.objects.count() == 1


def test_a_level_observed_sets_the_band_and_must_belong_to_the_framework(person, vn, frameworks):
    nc2 = ProficiencyLevel.objects.get(framework=frameworks["VN-DCF"], code="NC2")
    (row,) = record(
        person,
        [EvidenceItem(vn["4.2"].pk, 1.0, level_id=nc2.pk)],
        source="manual",
        source_ref=source_ref(person, "m:1"),
    )
    assert (row.band, row.observed_level_id) == ("advanced", nc2.pk)
    foreign = ProficiencyLevel.objects.get(framework=frameworks["DIGCOMP"], code="6")
    with pytest.raises(EvidenceError) as exc:
        record(
            person,
            [EvidenceItem(vn["4.2"].pk, 1.0, level_id=foreign.pk)],
            source="manual",
            source_ref=source_ref(person, "m:2"),
        )
    assert exc.value.field == "items[0].level_id"
    with pytest.raises(EvidenceError) as exc:
        record(
            person,
            [EvidenceItem(vn["4.2"].pk, 1.0, level_id=nc2.pk, band="basic")],
            source="manual",
            source_ref=source_ref(person, "m:3"),
        )
    assert exc.value.field == "items[0].band"
    assert Evidence.objects.count() == 1


def test_a_manual_assessment_names_the_level_observed(person, vn, frameworks, org):
    from assessments.sources.models import AssessorGrant
    from lms import roles

    trainer = make_person("trainer", org["BNG"], role=roles.TRAINERS).user
    scale = {lv.code: lv for lv in ProficiencyLevel.objects.filter(framework=frameworks["VN-DCF"])}
    AssessorGrant.objects.create(user=trainer, framework=frameworks["VN-DCF"], max_level=scale["CS2"])
    assessment = manual_assessment_record(
        actor=trainer, person=person, competency=vn["4.2"], score=0.8, level=scale["TC1"]
    )
    row = Evidence.objects.get(source_ref=assessment.source_ref)
    assert (row.band, row.observed_level_id) == ("intermediate", scale["TC1"].pk)
    # Without a level, the level observed is the one the score reaches on the framework's scale.
    assessment = manual_assessment_record(actor=trainer, person=person, competency=vn["4.3"], score=0.8)
    row = Evidence.objects.get(source_ref=assessment.source_ref)
    assert (row.band, row.observed_level.code) == ("specialised", "CS1")
    assert assessment.level.code == "CS1"
