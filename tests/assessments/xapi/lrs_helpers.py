"""Helpers for the LRS tests: a credential and a client speaking xAPI 1.0.3 with HTTP Basic."""

from __future__ import annotations

import base64
import json
import uuid

from django.test import Client

from assessments.xapi.models import CredentialScope
from assessments.xapi.services.credentials import credential_issue
from tests.conftest import SHARED_TESTDATA

XAPI_DIR = SHARED_TESTDATA / "xapi"
SPEC_DIR = XAPI_DIR / "xapi-spec-1.0.3-examples"
TEMPLATES_DIR = XAPI_DIR / "lrs-conformance-templates-v2_0"


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


class LRSClient:
    """``get``/``post``/``put``/``delete`` on /xapi/<resource> with the version header and credentials."""

    def __init__(self, key: str, secret: str, version: str | None = "1.0.3"):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": basic(key, secret)}
        if version:
            self.headers["HTTP_X_EXPERIENCE_API_VERSION"] = version

    def _headers(self, extra):
        return {**self.headers, **{("HTTP_" + k.upper().replace("-", "_")): v for k, v in (extra or {}).items()}}

    def get(self, resource: str, params: dict | None = None, headers: dict | None = None):
        return self.client.get(f"/xapi/{resource}", params or {}, **self._headers(headers))

    def head(self, resource: str, params: dict | None = None):
        return self.client.head(f"/xapi/{resource}", params or {}, **self._headers(None))

    def send(
        self,
        method: str,
        resource: str,
        body,
        *,
        params: dict | None = None,
        headers=None,
        content_type="application/json",
    ):
        from urllib.parse import urlencode

        data = body if isinstance(body, bytes | str) else json.dumps(body)
        url = f"/xapi/{resource}" + (f"?{urlencode(params)}" if params else "")
        return getattr(self.client, method)(url, data=data, content_type=content_type, **self._headers(headers))

    def post(self, resource, body, **kw):
        return self.send("post", resource, body, **kw)

    def put(self, resource, body, **kw):
        return self.send("put", resource, body, **kw)

    def delete(self, resource, params=None, headers=None):
        from urllib.parse import urlencode

        return self.client.delete(f"/xapi/{resource}?{urlencode(params or {})}", **self._headers(headers))


def issue(scope=CredentialScope.READ_OWN, unit=None, name="Tool"):
    issued = credential_issue(name=name, scope=scope, unit=unit, issued_by=None)
    return issued, LRSClient(issued.credential.key, issued.secret)


def load(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def statement(**parts) -> dict:
    base = {
        "actor": {"objectType": "Agent", "mbox": "mailto:learner@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {"id": "https://tool.example/course/1"},
    }
    base.update(parts)
    return base


def new_id() -> str:
    return str(uuid.uuid4())
