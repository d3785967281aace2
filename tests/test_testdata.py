"""Tests that need third-party material find it (HOCSO_TESTDATA, then ../shared/testdata) and are skipped
with one line saying what is missing when it is absent, or fail when HOCSO_TESTDATA_REQUIRED=1 (CI)."""

import os
import subprocess
import sys
from pathlib import Path

from lms import testdata

ROOT = Path(__file__).resolve().parent.parent


def test_the_environment_wins_and_is_the_only_place_looked_at_then(monkeypatch, tmp_path):
    monkeypatch.setenv("HOCSO_TESTDATA", str(tmp_path))
    assert testdata.find_testdata() == tmp_path.resolve()
    monkeypatch.setenv("HOCSO_TESTDATA", str(tmp_path / "absent"))
    assert testdata.find_testdata() is None
    assert str(tmp_path / "absent") in testdata.missing_message()


def test_without_the_environment_the_folder_beside_the_checkout_is_used(monkeypatch, tmp_path):
    monkeypatch.delenv("HOCSO_TESTDATA", raising=False)
    monkeypatch.setattr(testdata, "ROOT", tmp_path / "clone")
    assert testdata.find_testdata() is None
    (tmp_path / "shared" / "testdata").mkdir(parents=True)
    assert testdata.find_testdata() == tmp_path / "shared" / "testdata"


def run_pytest(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    environment.pop("HOCSO_TESTDATA_REQUIRED", None)
    environment.update(HOCSO_TESTDATA=str(tmp_path / "nowhere"), **env)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "tests/courses/h5p/test_package.py",
            "tests/courses/h5p/test_grading.py",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_missing_material_skips_with_one_line(tmp_path):
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 1, skipped
    assert "test material not found at" in skipped[0] and "HOCSO_TESTDATA" in skipped[0]
    assert "passed" in result.stdout  # the toy-package tests still run


def test_missing_material_fails_when_required(tmp_path):
    result = run_pytest(tmp_path, HOCSO_TESTDATA_REQUIRED="1")
    assert result.returncode == 1
    assert "test material not found at" in result.stdout
    assert "HOCSO_TESTDATA_REQUIRED=1" in result.stdout
