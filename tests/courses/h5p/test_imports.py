"""The import service, the import_h5p command and the admin upload, against storage and tables."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from courses.h5p.errors import H5PPackageError
from courses.h5p.models import H5PActivity, H5PActivityCompetency, H5PLibrary, H5PPackage
from courses.h5p.services import h5p_activity_import, h5p_package_import

from .conftest import H5P_DIR, REAL_PACKAGES, build_zip, toy_files

pytestmark = pytest.mark.django_db


def stored_names(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


@pytest.mark.parametrize("path", REAL_PACKAGES, ids=lambda p: p.name)
def test_every_real_package_imports(path, h5p_storage):
    activity = h5p_activity_import(path=path, title="")
    package = activity.package
    assert activity.title == package.title or activity.title == package.main_library
    assert (package.directory / "h5p.json").is_file()
    assert (package.directory / "content" / "content.json").is_file()
    main_dir = package.directory / f"{package.main_library}-{package.main_library_version}"
    assert (main_dir / "library.json").is_file()
    assert stored_names(h5p_storage) == [package.sha256]
    assert H5PLibrary.objects.filter(machine_name=package.main_library, package=package).exists()


@pytest.mark.testdata
def test_max_score_is_computed_for_types_we_grade():
    expected = {"H5P.TrueFalse.h5p": 1, "H5P.Blanks.h5p": 3, "H5P.DragText.h5p": 3, "H5P.SingleChoiceSet.h5p": 3}
    for name, maximum in expected.items():
        package, _created = h5p_package_import(path=H5P_DIR / name)
        assert package.max_score == maximum, name


@pytest.mark.testdata
def test_same_package_twice_is_stored_once(h5p_storage):
    first = h5p_activity_import(path=H5P_DIR / "H5P.TrueFalse.h5p", title="One")
    second = h5p_activity_import(path=H5P_DIR / "H5P.TrueFalse.h5p", title="Two")
    assert first.package_id == second.package_id
    assert H5PPackage.objects.count() == 1
    assert stored_names(h5p_storage) == [first.package.sha256]
    assert list(H5PActivity.objects.values_list("title", flat=True)) == ["One", "Two"]


def test_uploaded_file_goes_through_the_same_checks(h5p_storage):
    upload = SimpleUploadedFile("toy.h5p", build_zip(toy_files()), content_type="application/zip")
    package, created = h5p_package_import(uploaded_file=upload)
    assert created and package.main_library == "H5P.Toy"
    assert (h5p_storage / package.sha256 / "H5P.Toy-1.0" / "toy.js").read_bytes() == b"H5P.Toy = function () {};"


@pytest.mark.parametrize(
    "files",
    [
        toy_files(**{"../escape.txt": b"x"}),
        toy_files(**{"content/x.php": b"<?php"}),
        toy_files(**{"content/content.json": None}),
        toy_files(**{"content/pic.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>'}),
        toy_files(**{"content/zeros.txt": b"\0" * (3 * 1024 * 1024)}),
    ],
    ids=["traversal", "php", "no-content", "svg", "bomb"],
)
def test_a_refused_package_leaves_no_file_and_no_row(files, h5p_storage):
    upload = SimpleUploadedFile("bad.h5p", build_zip(files))
    with pytest.raises(H5PPackageError):
        h5p_activity_import(uploaded_file=upload, title="Bad")
    assert stored_names(h5p_storage) == []
    assert not H5PPackage.objects.exists()
    assert not H5PActivity.objects.exists()
    assert not H5PLibrary.objects.exists()


def test_content_only_package_uses_an_installed_library(h5p_storage):
    h5p_package_import(uploaded_file=SimpleUploadedFile("toy.h5p", build_zip(toy_files())))
    content_only = toy_files(
        **{"H5P.Toy-1.0/library.json": None, "H5P.Toy-1.0/toy.js": None, "content/content.json": b'{"text": "other"}'}
    )
    package, created = h5p_package_import(uploaded_file=SimpleUploadedFile("c.h5p", build_zip(content_only)))
    assert created
    assert not (package.directory / "H5P.Toy-1.0").exists()
    assert H5PLibrary.objects.get(machine_name="H5P.Toy").package != package


@pytest.mark.testdata
def test_competencies_and_pass_mark_are_checked_before_anything_is_written(h5p_storage):
    with pytest.raises(H5PPackageError, match="weight"):
        h5p_activity_import(path=H5P_DIR / "H5P.TrueFalse.h5p", competencies=[("MOFA-DP/NT1", 1.5)])
    with pytest.raises(H5PPackageError, match="Unknown competency"):
        h5p_activity_import(path=H5P_DIR / "H5P.TrueFalse.h5p", competencies=[("NOPE-9", 1)])
    with pytest.raises(H5PPackageError, match="several frameworks"):
        h5p_activity_import(path=H5P_DIR / "H5P.TrueFalse.h5p", competencies=[("1.1", 1)])
    with pytest.raises(H5PPackageError, match="pass mark"):
        h5p_activity_import(path=H5P_DIR / "H5P.TrueFalse.h5p", pass_mark=120)
    assert stored_names(h5p_storage) == [] and not H5PPackage.objects.exists()


def codes(activity):
    links = activity.competency_links.order_by("sort_order")
    return [(f"{link.competency.framework.code}/{link.competency.code}", link.weight) for link in links]


@pytest.mark.testdata
def test_activity_keeps_competencies_with_weights():
    activity = h5p_activity_import(
        path=H5P_DIR / "H5P.TrueFalse.h5p",
        title="Oslo",
        competencies=[("NT1", 1.0), ("VN-DCF/1.1", 0.5)],
        pass_mark=80,
    )
    assert activity.pass_mark == 80
    assert codes(activity) == [("MOFA-DP/NT1", 1.0), ("VN-DCF/1.1", 0.5)]


@pytest.mark.testdata
def test_command_prints_the_new_id():
    out, err = io.StringIO(), io.StringIO()
    call_command("import_h5p", str(H5P_DIR / "h5p-standalone-test.h5p"), "--title", "Hello", stdout=out, stderr=err)
    activity = H5PActivity.objects.get()
    assert out.getvalue().strip() == str(activity.pk)
    assert activity.title == "Hello"
    assert "H5P_CONTENT_HERE.txt" in err.getvalue()  # the warning is shown


@pytest.mark.testdata
def test_command_takes_competencies():
    out = io.StringIO()
    call_command(
        "import_h5p",
        str(H5P_DIR / "H5P.TrueFalse.h5p"),
        "--competency",
        "NT1",
        "--competency",
        "DIGCOMP/2.1:0.4",
        stdout=out,
    )
    assert H5PActivityCompetency.objects.count() == 2
    assert codes(H5PActivity.objects.get()) == [("MOFA-DP/NT1", 1.0), ("DIGCOMP/2.1", 0.4)]
    with pytest.raises(CommandError, match="several frameworks"):
        call_command("import_h5p", str(H5P_DIR / "H5P.TrueFalse.h5p"), "--competency", "2.1")


def test_command_fails_with_the_reason(tmp_path, h5p_storage):
    bad = tmp_path / "bad.h5p"
    bad.write_bytes(build_zip(toy_files(**{"content/run.exe": b"MZ"})))
    with pytest.raises(CommandError, match="run.exe"):
        call_command("import_h5p", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_h5p", str(tmp_path / "missing.h5p"))
    assert stored_names(h5p_storage) == [] and not H5PActivity.objects.exists()


def test_command_exit_status_is_non_zero(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run(
        [sys.executable, "manage.py", "import_h5p", str(tmp_path / "missing.h5p")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            **__import__("os").environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "DATABASE_URL": "sqlite:///:memory:",
        },
    )
    assert done.returncode != 0
    assert "missing.h5p" in done.stderr  # the reason names the file (in the default language)


@pytest.mark.testdata
def test_cleanup_removes_folders_without_a_package_row(h5p_storage):
    from django.db import transaction

    from courses.h5p.services.storage import h5p_storage_cleanup

    kept, _created = h5p_package_import(path=H5P_DIR / "H5P.TrueFalse.h5p")
    with pytest.raises(RuntimeError), transaction.atomic():  # the caller's transaction fails after the import
        orphan, _created = h5p_package_import(path=H5P_DIR / "H5P.DragText.h5p")
        raise RuntimeError("later step failed")
    assert not H5PPackage.objects.filter(sha256=orphan.sha256).exists()
    assert orphan.sha256 in stored_names(h5p_storage)
    (h5p_storage / ".tmp-old").mkdir()
    import os

    assert h5p_storage_cleanup() == []  # young folders may belong to an import still in its transaction
    os.utime(h5p_storage / ".tmp-old", (0, 0))
    os.utime(h5p_storage / orphan.sha256, (0, 0))
    out = io.StringIO()
    call_command("h5p_cleanup", stdout=out)
    assert stored_names(h5p_storage) == [kept.sha256]
    assert "2 folder(s) removed" in out.getvalue()
    assert h5p_storage_cleanup() == []


def test_a_package_whose_library_ships_a_word_template_imports(h5p_storage):

    data = build_zip(toy_files(**{"H5P.Toy-1.0/templates/letter.docx": b"PK\x03\x04docx"}))
    package, _created = h5p_package_import(uploaded_file=SimpleUploadedFile("toy.h5p", data))
    assert (package.directory / "H5P.Toy-1.0" / "templates" / "letter.docx").read_bytes() == b"PK\x03\x04docx"
