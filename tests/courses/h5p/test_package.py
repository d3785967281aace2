"""Archive checks, on the real packages and on malicious ones built here."""

import stat
import zipfile

import pytest

from courses.h5p.errors import H5PPackageError
from courses.h5p.package import Limits, check_svg, inspect_package

from .conftest import REAL_PACKAGES, build_zip, toy_files


@pytest.mark.parametrize("path", REAL_PACKAGES, ids=lambda p: p.name)
def test_every_real_package_passes_inspection(path):
    inspected = inspect_package(path.read_bytes())
    assert inspected.main_library.machine_name.startswith("H5P.")
    assert "h5p.json" in inspected.files and "content/content.json" in inspected.files
    assert inspected.needed_installed == []  # all libraries are bundled


@pytest.mark.testdata
def test_real_package_warnings_are_kept_not_refused():
    by_name = {p.name: p for p in REAL_PACKAGES}
    standalone = inspect_package(by_name["h5p-standalone-test.h5p"].read_bytes())
    assert "H5P_CONTENT_HERE.txt" not in standalone.files
    assert any("H5P_CONTENT_HERE.txt" in w for w in standalone.warnings)
    video = inspect_package(by_name["H5P.InteractiveVideo.h5p"].read_bytes())
    assert any("remote media" in w for w in video.warnings)


def test_toy_package_is_valid():
    inspected = inspect_package(build_zip(toy_files()))
    assert inspected.main_library.directory == "H5P.Toy-1.0"
    assert [lib.directory for lib in inspected.bundled] == ["H5P.Toy-1.0"]


def refused(data: bytes, code: str, **kwargs) -> str:
    with pytest.raises(H5PPackageError) as err:
        inspect_package(data, **kwargs)
    assert err.value.code == code, err.value.message
    return err.value.message


@pytest.mark.parametrize("name", ["../evil.js", "content/../../evil.txt", "content/./x.png", "a//b.png"])
def test_path_traversal_is_refused(name):
    assert "leaves its folder" in refused(build_zip(toy_files(**{name: b"x"})), "unsafe_path")


@pytest.mark.parametrize("name", ["/etc/passwd.txt", "C:/windows/x.txt"])
def test_absolute_paths_are_refused(name):
    assert "absolute path" in refused(build_zip(toy_files(**{name: b"x"})), "unsafe_path")


def test_backslash_names_are_refused():
    refused(build_zip(toy_files(**{"content\\..\\x.png": b"x"})), "unsafe_path")


def test_symlinks_are_refused():
    info = zipfile.ZipInfo("content/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert "symbolic link" in refused(build_zip(toy_files(), infos=[info]), "symlink")


def test_duplicate_names_are_refused():
    info = zipfile.ZipInfo("content/content.json")
    with pytest.warns(UserWarning):  # zipfile itself warns about the duplicate
        data = build_zip(toy_files(), infos=[info])
    assert "twice" in refused(data, "duplicate_name")


def test_names_differing_only_in_case_are_duplicates():
    refused(build_zip(toy_files(**{"content/a.png": b"1", "content/A.PNG": b"2"})), "duplicate_name")


def test_too_many_entries_are_refused():
    extra = {f"content/img{i}.png": b"x" for i in range(30)}
    message = refused(build_zip(toy_files(**extra)), "too_many_entries", limits=Limits(max_entries=20))
    assert "at most 20" in message


def test_zip_bomb_by_ratio_is_refused():
    bomb = toy_files(**{"content/zeros.txt": b"\0" * (5 * 1024 * 1024)})
    assert "zip bomb" in refused(build_zip(bomb), "compression_ratio")


def test_total_uncompressed_size_over_limit_is_refused():
    import os

    big = {f"content/noise{i}.png": os.urandom(40_000) for i in range(5)}
    message = refused(build_zip(toy_files(**big)), "too_large", limits=Limits(max_total_bytes=100_000))
    assert "unpacks to" in message


def test_archive_over_size_limit_is_refused():
    refused(build_zip(toy_files()), "too_large", limits=Limits(max_archive_bytes=100))


@pytest.mark.parametrize(
    "name",
    ["content/x.php", "content/page.html", "content/setup.exe", "content/run.sh", "content/app.js", "content/x.svgz"],
)
def test_disallowed_types_in_content_are_refused(name):
    assert "not allowed in content/" in refused(build_zip(toy_files(**{name: b"x"})), "file_type")


@pytest.mark.parametrize("name", ["H5P.Toy-1.0/shell.php", "H5P.Toy-1.0/index.html", "H5P.Toy-1.0/tool.exe"])
def test_disallowed_types_in_libraries_are_refused(name):
    assert "not allowed in a library" in refused(build_zip(toy_files(**{name: b"x"})), "file_type")


def test_scripts_outside_library_folders_are_refused():
    message = refused(build_zip(toy_files(**{"scripts/evil.js": b"x"})), "file_type")
    assert "neither content/ nor a library" in message


def test_html_at_the_top_is_refused():
    refused(build_zip(toy_files(**{"index.html": b"<script>"})), "file_type")


def test_missing_h5p_json_is_refused():
    assert "h5p.json" in refused(build_zip(toy_files(**{"h5p.json": None})), "missing_json")


def test_malformed_h5p_json_is_refused():
    assert "not valid JSON" in refused(build_zip(toy_files(**{"h5p.json": b"{nope"})), "malformed_json")


def test_h5p_json_without_main_library_is_refused():
    refused(build_zip(toy_files(**{"h5p.json": b'{"title": "x", "preloadedDependencies": []}'})), "malformed_json")


def test_missing_content_json_is_refused():
    message = refused(build_zip(toy_files(**{"content/content.json": None})), "missing_json")
    assert "content/content.json" in message


def test_malformed_content_json_is_refused():
    refused(build_zip(toy_files(**{"content/content.json": b"[1, 2"})), "malformed_json")
    refused(build_zip(toy_files(**{"content/content.json": b"[1, 2]"})), "malformed_json")


def test_library_neither_bundled_nor_installed_is_refused():
    files = toy_files(**{"H5P.Toy-1.0/library.json": None, "H5P.Toy-1.0/toy.js": None})
    message = refused(build_zip(files), "missing_library")
    assert "H5P.Toy-1.0" in message


def test_content_only_package_is_accepted_when_library_is_installed():
    files = toy_files(**{"H5P.Toy-1.0/library.json": None, "H5P.Toy-1.0/toy.js": None})
    inspected = inspect_package(build_zip(files), installed={("H5P.Toy", 1, 0)})
    assert [lib.directory for lib in inspected.needed_installed] == ["H5P.Toy-1.0"]


def test_dependency_of_a_bundled_library_must_exist_too():
    import json

    from .conftest import TOY_LIBRARY

    library = dict(
        TOY_LIBRARY, preloadedDependencies=[{"machineName": "H5P.Gone", "majorVersion": 2, "minorVersion": 1}]
    )
    message = refused(
        build_zip(toy_files(**{"H5P.Toy-1.0/library.json": json.dumps(library).encode()})), "missing_library"
    )
    assert "H5P.Gone-2.1" in message


def test_not_a_zip_is_refused():
    refused(b"PK\x03\x04 this is not really a zip", "not_zip")
    refused(b"hello", "not_zip")


def test_encrypted_entries_are_refused():
    data = bytearray(build_zip(toy_files()))
    # set the "encrypted" flag on every central-directory record
    index = 0
    while (index := data.find(b"PK\x01\x02", index)) != -1:
        data[index + 8] |= 0x1
        index += 4
    refused(bytes(data), "encrypted")


SAFE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1v1z" fill="#000"/></svg>'


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><a x:href="javascript:alert(1)"><text>x</text></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/track.png"/></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "boom">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b"<svg not closed",
    ],
)
def test_unsafe_svgs_are_refused(svg):
    refused(build_zip(toy_files(**{"content/images/pic.svg": svg})), "unsafe_svg")


def test_safe_svg_passes():
    check_svg("ok.svg", SAFE_SVG)
    inspect_package(build_zip(toy_files(**{"content/images/pic.svg": SAFE_SVG})))


# H5P's default whitelist (h5p-php-library H5PCore::$defaultContentWhitelist + "js css" for libraries).
H5P_WHITELIST = (
    "json png jpg jpeg gif bmp tif tiff svg eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav txt pdf rtf doc docx "
    "xls xlsx ppt pptx odt ods odp xml csv diff patch swf md textile vtt webvtt gltf glb js css"
).split()


@pytest.mark.parametrize("ext", [e for e in H5P_WHITELIST if e != "svg"])
def test_libraries_may_carry_what_h5ps_default_whitelist_allows(ext):
    inspected = inspect_package(build_zip(toy_files(**{f"H5P.Toy-1.0/templates/file.{ext}": b"x"})))
    assert f"H5P.Toy-1.0/templates/file.{ext}" in inspected.files


def test_a_library_with_a_word_template_fonts_and_media_is_accepted():
    files = {
        "H5P.Toy-1.0/templates/letter.docx": b"PK\x03\x04docx",
        "H5P.Toy-1.0/fonts/icons.woff2": b"wOF2",
        "H5P.Toy-1.0/fonts/icons.otf": b"OTTO",
        "H5P.Toy-1.0/sounds/ok.m4a": b"m4a",
        "H5P.Toy-1.0/data/table.xlsx": b"PK\x03\x04xlsx",
    }
    inspected = inspect_package(build_zip(toy_files(**files)))
    assert set(files) <= set(inspected.files)


@pytest.mark.parametrize(
    "name",
    [
        "H5P.Toy-1.0/templates/setup.exe",
        "H5P.Toy-1.0/bin/run.sh",
        "H5P.Toy-1.0/bin/run.bat",
        "H5P.Toy-1.0/server/index.php",
        "H5P.Toy-1.0/server/page.phtml",
        "H5P.Toy-1.0/server/tool.py",
        "H5P.Toy-1.0/server/x.cgi",
        "H5P.Toy-1.0/server/x.jsp",
        "H5P.Toy-1.0/page.htm",
        "H5P.Toy-1.0/lib.dll",
        "H5P.Toy-1.0/x.svgz",
    ],
)
def test_executables_and_server_scripts_stay_refused_in_libraries(name):
    assert "not allowed in a library" in refused(build_zip(toy_files(**{name: b"x"})), "file_type")
