import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import APIToken

from tests.factories import make_hr, make_person


@pytest.fixture
def hr_eu(org):
    return make_hr("hr_eu", org["VP"], org["EU"])


def flatten(nodes):
    for node in nodes:
        yield node["code"]
        yield from flatten(node["children"])


def test_units_tree_is_scoped_for_hr(client, hr_eu):
    client.force_login(hr_eu.user)
    response = client.get("/api/v1/units/")
    assert response.status_code == 200
    tree = response.json()
    assert set(flatten(tree)) == {"BNG", "VP", "EU", "FR", "DE"}
    (root,) = tree
    assert root["code"] == "BNG"
    eu = next(c for c in root["children"] if c["code"] == "EU")
    assert sorted(c["code"] for c in eu["children"]) == ["DE", "FR"]


def test_units_for_staff_are_their_path(client, org):
    person = make_person("p1", org["JP"])
    client.force_login(person.user)
    assert set(flatten(client.get("/api/v1/units/").json())) == {"BNG", "AP", "JP"}


def test_me(client, org):
    person = make_person("p1", org["JP"], full_name="Đỗ Thị Quỳnh")
    client.force_login(person.user)
    data = client.get("/api/v1/me").json()
    assert data["full_name"] == "Đỗ Thị Quỳnh" and data["unit_code"] == "JP" and data["roles"] == ["Staff"]


def test_anonymous_gets_json_401(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


def test_bearer_token_from_command_carries_user_scope(hr_eu, capsys):
    call_command("create_api_token", "hr_eu", "--name", "HR sync")
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("wagtail_")
    token = APIToken.objects.get(user=hr_eu.user)
    assert token.key_hash != secret and secret not in token.key_hash
    api = Client()
    response = api.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert "JP" not in set(flatten(response.json()))
    token.revoke()
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wagtail_forged").status_code == 401


def test_create_api_token_refuses_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user named"):
        call_command("create_api_token", "ghost")


def test_openapi_schema_and_docs_are_served_locally(client, db):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/units/" in paths and "/api/v1/me" in paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "cdn" not in body.lower() and "/static/ninja/" in body


def test_units_tree_runs_a_fixed_number_of_queries(client, org, django_assert_max_num_queries):
    from tests.factories import make_admin, make_unit

    admin = make_admin()
    client.force_login(admin)
    client.get("/api/v1/units/")  # warm the session
    with django_assert_max_num_queries(10) as small:
        client.get("/api/v1/units/")
    for i in range(30):
        make_unit(f"X{i}", org["EU"], kind="embassy")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/units/")
    assert len(list(flatten(response.json()))) == 37
