"""The Content-Security-Policy header (lms/csp.py) on pages, API answers, refusals, and the H5P player's own."""

from __future__ import annotations

import pytest

from lms.csp import content_security_policy
from tests.factories import make_person, make_unit


def directives(header: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.fixture
def signed_in(client, db):
    client.force_login(make_person("csp", make_unit("CSP")).user)
    return client


@pytest.mark.parametrize("path", ["/accounts/login/", "/my-learning/", "/api/v1/me", "/my/competencies/?framework=%00"])
def test_every_response_carries_the_strict_policy(signed_in, path):
    policy = directives(signed_in.get(path)["Content-Security-Policy"])
    assert policy["script-src"].startswith("script-src 'self'") and "unsafe" not in policy["script-src"]
    assert policy["object-src"] == "object-src 'none'" and policy["base-uri"] == "base-uri 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'self'" and policy["form-action"] == "form-action 'self'"


def test_a_page_that_uses_the_nonce_gets_it_in_the_header(rf):
    from django.template import Context, Template

    from lms.csp import CSPMiddleware

    request = rf.get("/")
    middleware = CSPMiddleware(lambda r: None)
    middleware.process_request(request)
    html = Template('<script nonce="{{ request.csp_nonce }}"></script>').render(Context({"request": request}))
    from django.http import HttpResponse

    response = middleware.process_response(request, HttpResponse(html))
    assert f"'nonce-{request.csp_nonce}'" in response["Content-Security-Policy"]


def test_the_policy_names_the_player_and_the_sign_in_provider_origins():
    policy = content_security_policy(
        player_origin="https://h5p.example.vn/", sign_in_url="https://sso.example.vn/realms/x"
    )
    assert "https://h5p.example.vn" in policy["DIRECTIVES"]["frame-src"]
    assert policy["DIRECTIVES"]["form-action"] == ["'self'", "https://sso.example.vn"]
