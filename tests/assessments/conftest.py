from pathlib import Path

import pytest
from django.utils import translation

from assessments.models import Competency, Framework
from assessments.services.frameworks import frameworks_ensure
from tests.factories import make_unit


@pytest.fixture
def frameworks(db):
    """The shipped frameworks (re-installed when a transactional test flushed the migration data)."""
    frameworks_ensure()
    return {f.code: f for f in Framework.objects.current()}


@pytest.fixture
def vn(frameworks):
    """VN-DCF competencies by code."""
    return {c.code: c for c in Competency.objects.filter(framework=frameworks["VN-DCF"])}


@pytest.fixture
def org(db):
    bng = make_unit("BNG", kind="ministry", name_vi="Bộ Ngoại giao")
    eu = make_unit("EU", bng, kind="other")
    fr = make_unit("FR", eu, kind="embassy")
    ap = make_unit("AP", bng, kind="other")
    jp = make_unit("JP", ap, kind="embassy")
    return {u.code: u for u in (bng, eu, fr, ap, jp)}


HERE = Path(__file__).resolve().parent


def _competency_test(request) -> bool:
    """Only this directory's modules: sub-apps' tests below it (e.g. quizzes) keep the default language."""
    return Path(str(request.node.fspath)).resolve().parent == HERE


@pytest.fixture(autouse=True)
def _english(request):
    """Messages are asserted in English here; dedicated tests check the Vietnamese."""
    if not _competency_test(request):
        yield
        return
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings, request):
    if _competency_test(request):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
