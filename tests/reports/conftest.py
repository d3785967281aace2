import pytest

from tests.factories import make_admin, make_hr, make_person, make_unit


@pytest.fixture
def org(db):
    """BNG → (VP, EU → (FR, DE)), (AP → JP)."""
    bng = make_unit("BNG", kind="ministry", name_vi="Bộ Ngoại giao")
    vp = make_unit("VP", bng, name_vi="Văn phòng Bộ")
    eu = make_unit("EU", bng, kind="other", name_vi="Các cơ quan đại diện tại châu Âu")
    fr = make_unit("FR", eu, kind="embassy", name_vi="Đại sứ quán tại Pháp")
    de = make_unit("DE", eu, kind="embassy", name_vi="Đại sứ quán tại Đức")
    ap = make_unit("AP", bng, kind="other", name_vi="Các cơ quan đại diện tại châu Á")
    jp = make_unit("JP", ap, kind="embassy", name_vi="Đại sứ quán tại Nhật Bản")
    return {u.code: u for u in (bng, vp, eu, fr, de, ap, jp)}


@pytest.fixture
def hr_eu(org):
    return make_hr("hr_eu", org["VP"], org["EU"])


@pytest.fixture
def hr_ap(org):
    return make_hr("hr_ap", org["VP"], org["AP"])


@pytest.fixture
def admin_user(db):
    return make_admin("boss")


@pytest.fixture
def people(org):
    """Two officers in France, one in Germany, one in Japan (with Vietnamese names)."""
    return {
        "fr1": make_person("fr1", org["FR"], full_name="Nguyễn Thị Ánh Tuyết", position="Bí thư thứ nhất"),
        "fr2": make_person("fr2", org["FR"], full_name="Trần Đức Thắng", position="Chuyên viên"),
        "de1": make_person("de1", org["DE"], full_name="Lê Thị Hồng Nhung", position="Chuyên viên"),
        "jp1": make_person("jp1", org["JP"], full_name="Phạm Quốc Việt", position="Chuyên viên"),
    }


@pytest.fixture
def frameworks(db):
    from django.apps import apps

    from assessments.migrations._framework_data import install
    from assessments.models import Framework

    if not Framework.objects.filter(code="VN-DCF").exists():
        install(apps)
    return {f.code: f for f in Framework.objects.current()}


@pytest.fixture
def vn(frameworks):
    from assessments.models import Competency, ProficiencyLevel

    comps = {c.code: c for c in Competency.objects.filter(framework=frameworks["VN-DCF"])}
    levels = {lv.rank: lv for lv in ProficiencyLevel.objects.filter(framework=frameworks["VN-DCF"])}
    return {"framework": frameworks["VN-DCF"], "c": comps, "level": levels}


def put_score(person, competency, score: float, rank: int | None, levels, *, month=None):
    """A current score (or, with ``month``, a monthly snapshot) written directly, for aggregate tests."""
    from django.utils import timezone

    from assessments.models import CompetencyScore, CompetencyScoreSnapshot

    level = levels[rank] if rank else None
    if month is None:
        return CompetencyScore.objects.update_or_create(
            person=person,
            competency=competency,
            defaults={
                "score": score,
                "level": level,
                "evidence_count": 3,
                "computed_at": timezone.now(),
                "last_evidence_at": timezone.now(),
                "level_evidence_at": timezone.now() if level else None,
            },
        )[0]
    return CompetencyScoreSnapshot.objects.create(
        person=person, competency=competency, month=month, score=score, level=level, taken_at=timezone.now()
    )


@pytest.fixture
def scored(people, vn):
    """Hand-made scores: FR 1.1 = (0.8 + 0.5) / 2 = 65; DE 1.1 = 60, DE 1.2 = 20; JP 1.1 = 100 (out of EU)."""
    c, lv = vn["c"], vn["level"]
    put_score(people["fr1"], c["1.1"], 0.8, 7, lv)
    put_score(people["fr2"], c["1.1"], 0.5, 5, lv)
    put_score(people["de1"], c["1.1"], 0.6, 5, lv)
    put_score(people["de1"], c["1.2"], 0.2, 2, lv)
    put_score(people["jp1"], c["1.1"], 1.0, 8, lv)
    return vn


@pytest.fixture
def target_chuyen_vien(vn):
    """Chuyên viên must reach NC2 (rank 6) in 1.1 and TC1 (rank 3) in 1.2."""
    from assessments.models import TargetProfile, TargetRequirement

    profile = TargetProfile.objects.create(
        framework=vn["framework"], code="chuyen-vien", name_vi="Chuyên viên", name_en="Officer", positions="Chuyên viên"
    )
    TargetRequirement.objects.create(profile=profile, competency=vn["c"]["1.1"], level=vn["level"][6])
    TargetRequirement.objects.create(profile=profile, competency=vn["c"]["1.2"], level=vn["level"][3])
    return profile


def at(year, month, day, hour=10):
    import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def training(people, vn):
    """Course A (4 h, develops VN-DCF 1.2) and B (2 h); assigned enrolments with known outcomes.

    With today = 2026-06-15: fr1 A on time, fr2 A late, de1 A overdue, de1 B open, jp1 A overdue (outside EU);
    fr1 also self-enrolled in B and completed it (not mandatory).
    """
    import datetime

    from courses.models import CourseCompletion, Enrolment
    from tests.courses.conftest import make_course

    a = make_course(title="Cổng thông tin điện tử", slug="portal", estimated_hours=4)
    a.target_competencies.set([vn["c"]["1.2"]])
    a.save()
    b = make_course(title="Chữ ký số", slug="signature", estimated_hours=2)
    due = datetime.date(2026, 3, 1)

    def enrol(person, course, source="assigned", due_date=due, completed=None):
        e = Enrolment.objects.create(
            person=person,
            course=course,
            source=source,
            due_date=due_date,
            status="completed" if completed else "active",
            completed_at=completed,
            enrolled_at=at(2026, 1, 5),
        )
        if completed:
            CourseCompletion.objects.create(person=person, course=course, enrolment=e, completed_at=completed)
        return e

    enrol(people["fr1"], a, completed=at(2026, 2, 20))
    enrol(people["fr2"], a, completed=at(2026, 3, 10))
    enrol(people["de1"], a)
    enrol(people["de1"], b, due_date=datetime.date(2026, 12, 1))
    enrol(people["jp1"], a)
    enrol(people["fr1"], b, source="self", due_date=None, completed=at(2026, 4, 2))
    return {"a": a, "b": b}
