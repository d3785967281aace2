import os
import subprocess
import sys
from unittest import mock

import pytest
from django.core.management import call_command

from lms.models import HRScope, StaffProfile, Unit
from tests.conftest import ROOT


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["broker"] in {"eager", "ok"}


def test_healthz_503_when_database_is_down(client, db):
    from django.db.backends.utils import CursorWrapper

    with mock.patch.object(CursorWrapper, "execute", side_effect=Exception("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


# Set by the browser-test fixtures for this process; a deployment never has it.
TEST_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def _run_with_production_settings(extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", *TEST_ONLY}}
    env.update({"DJANGO_SETTINGS_MODULE": "lms.settings.production", **extra_env})
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_settings_refuse_to_start_without_their_variables(missing):
    full = {"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "hocso.example.vn", "DATABASE_URL": "sqlite:////tmp/x.db"}
    del full[missing]
    result = _run_with_production_settings(full)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_settings_pass_deploy_check():
    result = _run_with_production_settings(
        {
            "SECRET_KEY": "k" * 20 + "-Zq9!x7#Lm2@Rt5$Wv8^Yb3&Nc6*Pd4(Fg1)Hj0",
            "ALLOWED_HOSTS": "hocso.example.vn",
            "DATABASE_URL": "sqlite:////tmp/hocso-deploy-check.db",
        }
    )
    assert result.returncode == 0, result.stderr
    env = {
        **{k: v for k, v in os.environ.items() if k not in TEST_ONLY},
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "k" * 20 + "-Zq9!x7#Lm2@Rt5$Wv8^Yb3&Nc6*Pd4(Fg1)Hj0",
        "ALLOWED_HOSTS": "hocso.example.vn",
        "DATABASE_URL": "sqlite:////tmp/hocso-deploy-check.db",
    }
    deploy = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr


def test_seed_demo_is_idempotent(db, capsys):
    call_command("seed_demo")
    counts = (Unit.objects.count(), StaffProfile.objects.count(), HRScope.objects.count())
    call_command("seed_demo")
    assert (Unit.objects.count(), StaffProfile.objects.count(), HRScope.objects.count()) == counts
    assert counts[0] >= 12 and counts[1] >= 200
    assert Unit.objects.filter(kind__in=["embassy", "consulate", "mission"]).count() >= 4
    out = capsys.readouterr().out
    for username in ["admin", "trainer", "hr", "hr_europe", "staff"]:
        assert username in out


def test_demo_accounts_can_sign_in(client, db, settings):
    call_command("seed_demo")
    for username in ["admin", "trainer", "hr", "hr_europe", "staff"]:
        assert client.login(username=username, password=settings.DEMO_PASSWORD), username
    from django.contrib.auth import get_user_model

    from lms import policy

    hr_europe = get_user_model().objects.get(username="hr_europe")
    assert set(policy.reportable_units(hr_europe).values_list("code", flat=True)) == {
        "CQDD-EU",
        "DSQ-FR",
        "DSQ-DE",
        "TLSQ-FRANKFURT",
        "PDD-GENEVA",
    }


def test_vietnamese_translation_is_compiled_and_filled():
    from django.utils import translation

    with translation.override("vi"):
        assert translation.gettext("Sign in") == "Đăng nhập"
        assert translation.gettext("Language") == "Ngôn ngữ"


CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/vi/LC_MESSAGES/django.po")
    if not {".venv", "node_modules"} & set(path.relative_to(ROOT).parts)
)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT).parent.parent.parent.parent))
def test_every_catalogue_is_filled_and_compiled(po_path):
    """Each app's .po is fully translated and its committed .mo matches (run `make messages` after edits)."""
    import polib

    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    assert untranslated == [], untranslated[:10]
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (
                f"{po_path.with_suffix('.mo')} is stale: {entry.msgid}"
            )


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_round_trip(celery_worker_process):
    from lms.tasks import ping
    from tests.factories import make_unit

    make_unit("ROOT", kind="ministry")
    result = ping.delay().get(timeout=60)
    assert result == {"pong": True, "units": 1}
