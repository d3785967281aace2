"""Attachments (multipart/mixed) and signed statements, with the specification's own example."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from assessments.xapi.models import Attachment, Statement

from .lrs_helpers import SPEC_DIR, TEMPLATES_DIR, issue, load, statement

pytestmark = pytest.mark.django_db

BOUNDARY = "abcABC0123'()+_,-./:=?"


def multipart(statements, parts: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    chunks = [
        f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(statements).encode(),
        b"\r\n",
    ]
    for content_type, content in parts:
        digest = hashlib.sha256(content).hexdigest()
        chunks += [
            f"--{BOUNDARY}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {digest}\r\n\r\n".encode(),
            content,
            b"\r\n",
        ]
    chunks.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{BOUNDARY}"'


def declared(content: bytes, content_type="text/plain", usage="https://tool.example/usage/notes") -> dict:
    return {
        "usageType": usage,
        "display": {"en-US": "Notes"},
        "contentType": content_type,
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
    }


@pytest.fixture
def lrs():
    return issue()[1]


@pytest.mark.testdata
def test_attachment_stored_and_returned(lrs):
    content = (TEMPLATES_DIR / "attachments" / "simple_text1.txt").read_bytes()
    s = statement(attachments=[declared(content)])
    body, content_type = multipart(s, [("text/plain", content)])
    response = lrs.post("statements", body, content_type=content_type)
    assert response.status_code == 200, response.content
    sid = response.json()[0]
    assert bytes(Attachment.objects.get().content) == content
    plain = lrs.get("statements", {"statementId": sid})
    assert plain["Content-Type"].startswith("application/json")
    with_parts = lrs.get("statements", {"statementId": sid, "attachments": "true"})
    assert with_parts["Content-Type"].startswith("multipart/mixed")
    assert content in with_parts.content
    assert hashlib.sha256(content).hexdigest().encode() in with_parts.content


def test_declared_but_not_sent_or_sent_but_not_declared_is_400(lrs):
    content = b"notes"
    s = statement(attachments=[declared(content)])
    assert lrs.post("statements", s).status_code == 400  # JSON alone: the part is missing
    body, content_type = multipart(statement(), [("text/plain", content)])
    assert lrs.post("statements", body, content_type=content_type).status_code == 400
    body, content_type = multipart(s, [("text/plain", b"other content")])
    assert lrs.post("statements", body, content_type=content_type).status_code == 400
    assert not Statement.objects.exists() and not Attachment.objects.exists()


def test_file_url_attachments_need_no_part(lrs):
    s = statement(attachments=[{**declared(b"x"), "fileUrl": "https://tool.example/x.txt"}])
    assert lrs.post("statements", s).status_code == 200


def test_oversized_attachment_is_refused(lrs, settings):
    settings.XAPI_MAX_ATTACHMENT_BYTES = 10
    content = b"x" * 11
    body, content_type = multipart(statement(attachments=[declared(content)]), [("text/plain", content)])
    assert lrs.post("statements", body, content_type=content_type).status_code == 400
    settings.XAPI_MAX_REQUEST_BYTES = 100
    assert lrs.post("statements", body, content_type=content_type).status_code == 413


def test_broken_multipart_is_400(lrs):
    assert lrs.post("statements", b"garbage", content_type="multipart/mixed").status_code == 400
    assert lrs.post("statements", b"garbage", content_type="multipart/mixed; boundary=zz").status_code == 400


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _rsa_key_and_cert():
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tool.example")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _signed(s: dict, key, cert, *, alg="RS256") -> bytes:
    import jwt
    from cryptography.hazmat.primitives.serialization import Encoding

    x5c = [base64.b64encode(cert.public_bytes(Encoding.DER)).decode()]
    return jwt.encode(s, key, algorithm=alg, headers={"x5c": x5c}).encode()


def test_signed_statement(lrs):
    key, cert = _rsa_key_and_cert()
    s = statement()
    jws = _signed(s, key, cert)
    signature = declared(jws, "application/octet-stream", "http://adlnet.gov/expapi/attachments/signature")
    body, content_type = multipart({**s, "attachments": [signature]}, [("application/octet-stream", jws)])
    response = lrs.post("statements", body, content_type=content_type)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("tamper", ["payload", "signature", "malformed", "algorithm"])
def test_bad_signatures_are_400(lrs, tamper):
    key, cert = _rsa_key_and_cert()
    s = statement()
    if tamper == "payload":
        jws = _signed({**s, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}, key, cert)
    elif tamper == "signature":
        head, payload, _sig = _signed(s, key, cert).decode().split(".")
        jws = f"{head}.{payload}.{_b64(b'forged' * 40)}".encode()
    elif tamper == "malformed":
        jws = b"not a jws"
    else:
        jws = f"{_b64(json.dumps({'alg': 'HS256'}).encode())}.{_b64(json.dumps(s).encode())}.{_b64(b'x')}".encode()
    signature = declared(jws, "application/octet-stream", "http://adlnet.gov/expapi/attachments/signature")
    body, content_type = multipart({**s, "attachments": [signature]}, [("application/octet-stream", jws)])
    response = lrs.post("statements", body, content_type=content_type)
    assert response.status_code == 400
    assert "signature" in response.json()["error"]["message"].lower()
    assert not Statement.objects.exists()


@pytest.mark.testdata
def test_spec_signed_example_declares_a_signature_that_must_be_sent(lrs):
    example = load(SPEC_DIR / "16-statement-appendix-d-signed-with-attachment.json")
    assert lrs.post("statements", example).status_code == 400  # the signature's part is not in a JSON body
