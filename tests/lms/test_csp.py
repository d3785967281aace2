"""The Content-Security-Policy header (lms/content_policy.py) on pages, API answers, refusals, and the H5P player's own."""

from __future__ import annotations

import pytest

from lms.content_policy import content_security_policy
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

    from lms.content_policy import CSPMiddleware

    request = rf.get("/")
    middleware = CSPMiddleware(lambda r: None)
    middleware.process_request(request)
    html = Template('<script nonce="{{ request.csp_nonce }}"></script>').render(Context({"request": request}))
    from django.http import HttpResponse

    response = middleware.process_response(request, HttpResponse(html))
    assert f"'nonce-{request.csp_nonce}'" in response["Content-Security-Policy"]


def test_the_policy_names_the_player_and_the_sign_in_provider_origins(rf, settings):
    """Read per request from the current settings (a provider configured after start-up is allowed too)."""
    from django.http import HttpResponse

    from lms.content_policy import CSPMiddleware

    settings.H5P_PLAYER_ORIGIN = "https://h5p.example.vn"
    settings.OIDC_ISSUER = "https://sso.example.vn/realms/x"
    request = rf.get("/")
    middleware = CSPMiddleware(lambda r: None)
    middleware.process_request(request)
    header = directives(middleware.process_response(request, HttpResponse("ok"))["Content-Security-Policy"])
    assert "https://h5p.example.vn" in header["frame-src"]
    assert header["form-action"].split()[1:] == ["'self'", "https://sso.example.vn"]
    assert "frame-src" in content_security_policy()["DIRECTIVES"]
