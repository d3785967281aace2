import pytest

from tests.factories import make_admin, make_hr, make_person, make_unit

PASSWORD = "correct horse battery staple"


@pytest.fixture
def org(db):
    bng = make_unit("BNG", kind="ministry", name_vi="Bộ Ngoại giao")
    fr = make_unit("FR", bng, kind="embassy", name_vi="Đại sứ quán tại Pháp")
    jp = make_unit("JP", bng, kind="embassy", name_vi="Đại sứ quán tại Nhật Bản")
    return {u.code: u for u in (bng, fr, jp)}


@pytest.fixture
def hr(org):
    """HR for the whole ministry, enrolled (the factories' default)."""
    return make_hr("hr_enrolled", org["BNG"], org["BNG"])


@pytest.fixture
def hr_not_enrolled(org):
    """HR who has not set up a second factor yet."""
    return make_hr("hr_new", org["BNG"], org["BNG"], second_factor=False)


@pytest.fixture
def admin_user(db):
    return make_admin("boss")


@pytest.fixture
def officer(org):
    return make_person("officer", org["FR"], full_name="Nguyễn Thị Hồng Nhung")


def sign_in(client, username, password=PASSWORD, follow=False, **extra):
    from django.urls import reverse

    return client.post(reverse("login"), {"login": username, "password": password, **extra}, follow=follow)
