"""Administrators issue LRS credentials (secret shown once, stored hashed), list and revoke them; audited."""

from __future__ import annotations

import re

import pytest

from assessments.xapi.models import Credential
from reports.models import AuditEntry
from tests.factories import make_admin, make_person, make_unit

from .lrs_helpers import LRSClient

pytestmark = pytest.mark.django_db


def test_issue_show_once_use_and_revoke(client):
    admin = make_admin()
    client.force_login(admin)
    page = client.get("/admin/lrs/credentials/")
    assert page.status_code == 200
    response = client.post("/admin/lrs/credentials/", {"name": "Ministry data platform", "scope": "read_own"})
    assert response.status_code == 200
    html = response.content.decode()
    credential = Credential.objects.get()
    secret = re.search(r"<dt>[^<]+</dt><dd><code>([^<]+)</code></dd>\s*</dl>", html).group(1)
    assert secret not in credential.secret_digest and len(credential.secret_digest) == 64
    assert secret not in client.get("/admin/lrs/credentials/").content.decode()  # shown once
    lrs = LRSClient(credential.key, secret)
    assert lrs.get("statements").status_code == 200
    assert AuditEntry.objects.filter(action="xapi.credential_issue", actor=admin).exists()
    response = client.post(f"/admin/lrs/credentials/{credential.pk}/revoke/")
    assert response.status_code == 302
    assert lrs.get("statements").status_code == 401
    assert AuditEntry.objects.filter(action="xapi.credential_revoke", actor=admin).exists()


def test_reading_within_an_hr_scope_needs_a_unit(client):
    client.force_login(make_admin())
    response = client.post("/admin/lrs/credentials/", {"name": "Reader", "scope": "read_unit"})
    assert response.status_code == 200 and not Credential.objects.exists()
    unit = make_unit("EMB")
    client.post("/admin/lrs/credentials/", {"name": "Reader", "scope": "read_unit", "unit": unit.pk})
    assert Credential.objects.get().unit == unit


def test_only_administrators(client):
    unit = make_unit("EMB")
    client.force_login(make_person("someone", unit).user)
    assert client.get("/admin/lrs/credentials/").status_code in (302, 403)
    assert client.post("/admin/lrs/credentials/", {"name": "x", "scope": "write"}).status_code in (302, 403)
    assert not Credential.objects.exists()
