"""Import refusals, each with a broken package made here, and the golf examples' manifests."""

import zipfile

import pytest

from courses.archive import Limits
from courses.scorm.errors import SCORMPackageError
from courses.scorm.manifest import VERSION_12, VERSION_2004_3, VERSION_2004_4
from courses.scorm.models import SCORMPackage
from courses.scorm.package import inspect_package
from courses.scorm.services import scorm_package_import

from .conftest import GOLF_12, GOLF_2004, GOLF_METADATA_2004, GOLF_MULTI_12, MANIFEST_12, build_zip, toy_12, toy_2004


def refused(data: bytes, **kwargs) -> SCORMPackageError:
    with pytest.raises(SCORMPackageError) as caught:
        inspect_package(data, **kwargs)
    return caught.value


def test_toy_packages_are_read():
    inspected = inspect_package(build_zip(toy_12()))
    manifest = inspected.manifest
    assert manifest.version == VERSION_12
    assert manifest.title == "Toy course"
    assert [(i.identifier, i.launch, i.parameters) for i in manifest.items] == [
        ("i1", "one.html", ""),
        ("i2", "two.html", "x=1"),
    ]
    assert manifest.items[0].mastery_score == 80
    inspected = inspect_package(build_zip(toy_2004()))
    assert inspected.manifest.version == VERSION_2004_4
    assert inspected.manifest.items[0].launch == "content/index.html"  # xml:base of <resources>


@pytest.mark.testdata
@pytest.mark.parametrize(
    ("path", "version", "launchable", "headings", "kind"),
    [
        (GOLF_12, VERSION_12, 1, 0, "sco"),
        (GOLF_2004, VERSION_2004_3, 1, 0, "sco"),
        (GOLF_MULTI_12, VERSION_12, 18, 4, "asset"),
        (GOLF_METADATA_2004, VERSION_2004_3, 1, 0, "sco"),
    ],
)
def test_golf_examples(path, version, launchable, headings, kind):
    manifest = inspect_package(path.read_bytes()).manifest
    assert manifest.version == version
    assert len(manifest.launchable) == launchable
    assert len([i for i in manifest.items if not i.launch]) == headings
    assert {i.scorm_type for i in manifest.launchable} == {kind}


def test_not_a_zip():
    assert refused(b"hello").message == "The file is not a ZIP archive (a SCORM package is one)."


def test_missing_manifest():
    error = refused(build_zip(toy_12(**{"imsmanifest.xml": None})))
    assert error.code == "missing_manifest"
    assert error.message == "The package has no imsmanifest.xml, so it is not a SCORM package."


def test_manifest_in_a_folder():
    files = {f"course/{k}": v for k, v in toy_12().items()}
    error = refused(build_zip(files))
    assert "must be at the top of the package, not in course/imsmanifest.xml" in error.message


def test_broken_manifest():
    error = refused(build_zip(toy_12(**{"imsmanifest.xml": b"<manifest><organizations>"})))
    assert error.code == "broken_manifest"
    assert error.message.startswith("imsmanifest.xml is not well-formed XML")


def test_manifest_with_entities_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><manifest>&a;</manifest>'
    assert refused(build_zip(toy_12(**{"imsmanifest.xml": bomb}))).code == "broken_manifest"


def test_wrong_root_element():
    error = refused(build_zip(toy_12(**{"imsmanifest.xml": b"<html/>"})))
    assert error.message == "imsmanifest.xml does not start with a <manifest> element."


def test_unknown_version():
    manifest = b'<manifest identifier="x" xmlns="urn:other"><organizations/></manifest>'
    assert refused(build_zip(toy_12(**{"imsmanifest.xml": manifest}))).code == "unknown_version"


def test_launch_file_absent():
    error = refused(build_zip(toy_12(**{"one.html": None})))
    assert error.code == "launch_missing"
    assert error.message == "The launch file one.html named in imsmanifest.xml is not in the package."


def test_launch_outside_package():
    manifest = MANIFEST_12.replace(b'href="one.html">', b'href="https://evil.example/x.html">')
    assert refused(build_zip(toy_12(**{"imsmanifest.xml": manifest}))).code == "launch_outside"
    manifest = MANIFEST_12.replace(b'href="one.html">', b'href="../one.html">')
    assert refused(build_zip(toy_12(**{"imsmanifest.xml": manifest}))).code == "launch_outside"


def test_item_refers_to_missing_resource():
    manifest = MANIFEST_12.replace(b'identifierref="r2"', b'identifierref="nowhere"')
    error = refused(build_zip(toy_12(**{"imsmanifest.xml": manifest})))
    assert "refers to a resource nowhere" in error.message


def test_no_organization():
    manifest = MANIFEST_12.split(b"<organizations")[0] + b"<organizations/></manifest>"
    assert refused(build_zip(toy_12(**{"imsmanifest.xml": manifest}))).code == "no_organization"


@pytest.mark.parametrize("name", ["../evil.html", "/etc/passwd", "a/../../b", "C:/x", "a\\b"])
def test_traversal_is_refused(name):
    error = refused(build_zip(toy_12(**{name: b"x"})))
    assert error.code == "unsafe_path"


def test_symlink_is_refused():
    info = zipfile.ZipInfo("link")
    info.external_attr = (0o120777) << 16
    assert refused(build_zip(toy_12(), infos=[info])).code == "symlink"


def test_limits():
    assert refused(build_zip(toy_12()), limits=Limits(max_entries=2)).code == "too_many_entries"
    assert refused(build_zip(toy_12(**{"big.txt": b"a" * 10_000})), limits=Limits(max_entry_ratio=5)).code == (
        "compression_ratio"
    )
    assert refused(build_zip(toy_12()), limits=Limits(max_archive_bytes=10)).code == "too_large"


def test_duplicate_names_differing_in_case():
    assert refused(build_zip(toy_12(**{"ONE.html": b"x"}))).code == "duplicate_name"


def test_import_stores_once_and_refusal_stores_nothing(db, scorm_storage, tmp_path):
    good = tmp_path / "good.zip"
    good.write_bytes(build_zip(toy_12()))
    package, created = scorm_package_import(path=good)
    assert created and package.version == "1.2"
    assert (scorm_storage / package.sha256 / "one.html").read_bytes() == b"<p>one</p>"
    again, created = scorm_package_import(path=good)
    assert again.pk == package.pk and not created
    bad = tmp_path / "bad.zip"
    bad.write_bytes(build_zip(toy_12(**{"two.html": None})))
    with pytest.raises(SCORMPackageError):
        scorm_package_import(path=bad)
    assert SCORMPackage.objects.count() == 1
    assert sorted(p.name for p in scorm_storage.iterdir()) == [package.sha256]


@pytest.mark.testdata
def test_import_command(db, capsys):
    from django.core.management import call_command

    call_command("import_scorm", str(GOLF_2004), "--title", "Golf", "--competency", "NT1:0.5")
    from courses.scorm.models import SCORMActivity

    activity = SCORMActivity.objects.get(pk=int(capsys.readouterr().out.strip()))
    assert activity.title == "Golf" and activity.package.version == "2004-3"
    assert list(activity.competency_links.values_list("competency__code", "weight")) == [("NT1", 0.5)]


def test_import_command_refusal(db, tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.zip"
    bad.write_bytes(build_zip(toy_12(**{"imsmanifest.xml": None})))
    with pytest.raises(CommandError, match="has no imsmanifest.xml"):
        call_command("import_scorm", str(bad))
