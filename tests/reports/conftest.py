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
