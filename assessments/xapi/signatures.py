"""Signed statements (xAPI 1.0.3 Data 2.6): the one module that reads a JWS (PyJWT, cryptography).

A signature is an attachment with the signature usage type, ``application/octet-stream``, whose
content is a compact JWS. The LRS refuses it (400) when the JWS is malformed, uses an algorithm other
than RS256/RS384/RS512, carries a payload that is not the statement it is attached to (compared
without ``id``, ``authority``, ``stored``, ``version`` and ``attachments``, which may legitimately
differ), or, when the header carries its certificate chain (``x5c``), when the signature does not
verify with the first certificate's public key.
"""

from __future__ import annotations

import base64
import json

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
ALGORITHMS = ("RS256", "RS384", "RS512")
IGNORED = ("id", "authority", "stored", "version", "attachments")


class SignatureError(ValueError):
    pass


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _comparable(statement: dict) -> str:
    kept = {k: v for k, v in statement.items() if k not in IGNORED}
    return json.dumps(kept, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def check_signature(jws: bytes, statement: dict) -> None:
    """Raise ``SignatureError`` (a reason for the sender) unless ``jws`` signs ``statement``."""
    try:
        token = jws.decode("ascii").strip()
        header_text, payload_text, signature_text = token.split(".")
        header = json.loads(_b64url(header_text))
        payload = json.loads(_b64url(payload_text))
        _b64url(signature_text)
    except (UnicodeDecodeError, ValueError, TypeError) as exc:
        raise SignatureError("the signature is not a compact JWS") from exc
    if not isinstance(header, dict) or header.get("alg") not in ALGORITHMS:
        raise SignatureError("the signature must use RS256, RS384 or RS512")
    if not isinstance(payload, dict) or _comparable(payload) != _comparable(statement):
        raise SignatureError("the signature's payload is not this statement")
    chain = header.get("x5c")
    if chain:
        _verify_with_certificate(token, header["alg"], chain)


def _verify_with_certificate(token: str, algorithm: str, chain) -> None:
    import jwt
    from cryptography import x509

    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
        jwt.api_jws.PyJWS().decode_complete(token, key=certificate.public_key(), algorithms=[algorithm])
    except (jwt.InvalidTokenError, ValueError, TypeError, IndexError) as exc:
        raise SignatureError("the signature does not verify with its certificate") from exc
