import pytest

from tests.factories import make_unit


@pytest.fixture
def org(db):
    """A small ministry: BNG → (VP, EU → (FR, DE)), (AP → JP)."""
    bng = make_unit("BNG", kind="ministry", name_vi="Bộ Ngoại giao")
    vp = make_unit("VP", bng)
    eu = make_unit("EU", bng, kind="other")
    fr = make_unit("FR", eu, kind="embassy", name_vi="Đại sứ quán tại Pháp")
    de = make_unit("DE", eu, kind="embassy")
    ap = make_unit("AP", bng, kind="other")
    jp = make_unit("JP", ap, kind="embassy")
    return {u.code: u for u in (bng, vp, eu, fr, de, ap, jp)}
