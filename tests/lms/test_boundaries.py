"""The boundaries (lms.boundaries): one strict JSON reader and one check of path and query parameters.

Each input of issue 18 that answered 500 answers a 4xx with a message naming what is wrong. Run on PostgreSQL
too (DATABASE_URL): NUL characters are what PostgreSQL refuses, SQLite would store them.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import translation

from lms.boundaries import BadInput, read_json
from lms.boundaries.params import check_number
from tests.factories import make_person, make_unit

# ---- the strict JSON reader (no database) ----


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[" * 315 + "]" * 315, "nested more than 32 deep"),
        ('{"a":' * 1500 + "1" + "}" * 1500, "nested more than 32 deep"),
        ('{"id": "\\ud800"}', "lone UTF-16 surrogate (\\ud800)"),
        ('{"\\udfff": 1}', "lone UTF-16 surrogate (\\udfff)"),
        ('["a\\u0000b"]', "NUL character"),
        ('{"a\\u0000": 1}', "NUL character"),
        ("9" * 400, "out of range"),
        ("-" + "9" * 20, "out of range"),
        ("1e400", "out of range"),
        ("NaN", "not a JSON number"),
        ("[Infinity]", "not a JSON number"),
        (b"\xff\xfe", "not UTF-8"),
        ("{", "not valid JSON"),
    ],
)
def test_the_reader_refuses_with_a_reason(english, body, reason):
    with pytest.raises(BadInput) as refused:
        read_json(body)
    assert reason in refused.value.message and refused.value.status == 400


def test_the_reader_accepts_what_json_allows_within_bounds():
    text = (
        '{"emoji": "\\ud83d\\ude00", "n": 9223372036854775807, "f": 1.5e300, "s": "[{\\"x\\"", "d": '
        + ("[" * 31 + "]" * 31)
        + "}"
    )
    value = read_json(text.encode())
    assert value["emoji"] == "😀" and value["n"] == 2**63 - 1 and value["s"] == '[{"x"'
    assert read_json("\ufeff[1]") == [1]


def test_the_reader_bounds_the_size():
    with pytest.raises(BadInput) as refused:
        read_json(b"[" + b"1," * 100 + b"1]", max_bytes=100)
    assert refused.value.status == 413


def test_numbers_from_the_query_are_bounded(english):
    assert check_number("12", name="page") == 12 and check_number(" ", name="page") is None
    for bad in ("99999999999999999999999", "-1", "1e3", "x"):
        with pytest.raises(BadInput, match="whole number"):
            check_number(bad, name="offset")


# ---- the same checks on real requests ----


@pytest.fixture
def signed_in(db):
    person = make_person("boundary", make_unit("BND"))
    client = Client()
    client.force_login(person.user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/frameworks/%00",
        "/api/v1/frameworks/DIGCOMP%00",
        "/api/v1/frameworks/?offset=99999999999999999999999",
        "/api/v1/reports/units?offset=99999999999999999999999",
        "/api/v1/reports/staff?unit=%00",
        "/api/v1/me/competencies?framework=%00",
        "/api/v1/me/competencies/history?months=99999999999999999999999",
    ],
)
def test_api_parameters_are_refused_as_json_400(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert "NUL" in detail or "số nguyên" in detail or "whole number" in detail


@pytest.mark.parametrize(
    "path",
    [
        "/reports/?unit=%00",
        "/reports/units/1/staff/?q=%00",
        "/reports/units/1/staff/?page=99999999999999999999999",
        "/my/competencies/?framework=%00",
        "/certificates/%00/pdf/",
        "/certificates/verify/?code=%00",
    ],
)
def test_page_parameters_are_refused_with_a_page_in_the_reader_language(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 400
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/html") and '<html lang="vi">' in text
    assert "Yêu cầu bị từ chối" in text


def test_a_nul_in_a_form_post_is_refused_before_the_view(signed_in):
    response = signed_in.post("/my/settings/", {"language": "vi\x00", "time_zone": "Asia/Ho_Chi_Minh"})
    assert response.status_code == 400


def test_api_json_bodies_go_through_the_strict_reader(signed_in):
    deep = "[" * 400 + "]" * 400
    response = signed_in.post("/api/v1/courses/1/enrol", data=deep, content_type="application/json")
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "32" in response.json()["detail"]


def test_ordinary_parameters_still_pass(signed_in):
    assert signed_in.get("/api/v1/frameworks/?offset=0").status_code == 200
    assert signed_in.get("/api/v1/reports/units?offset=5&limit=10").status_code in (200, 403)
    assert json.loads(signed_in.get("/api/v1/frameworks/").content) is not None


def test_digits_are_ascii_and_bounded():
    from lms.boundaries.params import digits

    assert digits("0") and digits("123456789012345678")
    for text in ("", "²", "١٢", "1" * 19, "-1", " 1", "1.0", None):
        assert not digits(text)


@pytest.mark.parametrize("path", ["/reports/evaluations/1/summary.pdf?unit=%C2%B2"])
def test_a_superscript_digit_is_not_a_server_error(signed_in, path):
    assert signed_in.get(path).status_code in (400, 403, 404)


def test_a_superscript_digit_posted_is_not_a_server_error(signed_in):
    from django.urls import reverse

    for field in ("unit", "person"):
        assert signed_in.post(reverse("accounts_invite"), {field: "²"}).status_code < 500
