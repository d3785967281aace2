"""Issue 17, a mission's slow link: pages travel gzipped (static files come precompressed from WhiteNoise)."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(client):
    response = client.get("/accounts/login/", headers={"accept-encoding": "gzip, deflate"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert b"csrfmiddlewaretoken" in gzip.decompress(response.content)


def test_a_client_that_does_not_accept_it_gets_plain_html(client):
    response = client.get("/accounts/login/")
    assert not response.has_header("Content-Encoding")
    assert b"csrfmiddlewaretoken" in response.content


def test_a_response_with_an_etag_keeps_it_strong_and_uncompressed(rf):
    """xAPI documents compare ETags strongly for If-Match: gzip would turn them into W/"..." ones."""
    from django.http import HttpResponse

    from lms.middleware import CompressionMiddleware

    body = b'{"state": "' + b"x" * 2000 + b'"}'
    request = rf.get("/xapi/activities/state", headers={"accept-encoding": "gzip"})

    def document(_request):
        response = HttpResponse(body, content_type="application/json")
        response["ETag"] = '"abc"'
        return response

    response = CompressionMiddleware(document)(request)
    assert response["ETag"] == '"abc"' and not response.has_header("Content-Encoding")
    assert response.content == body
