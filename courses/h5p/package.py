"""Reading and checking ``.h5p`` archives: the one module that knows about pyh5p.

``inspect_package(data, installed=...)`` runs our own archive safety checks first (paths,
symlinks, duplicates, entry count, sizes and compression ratios, an allow-list of file types
per folder, SVG safety), then lets pyh5p parse ``h5p.json`` / ``content/content.json``, read the
bundled libraries and validate the content against their semantics. It never writes to disk
and never touches the database: it returns an ``InspectedPackage`` whose ``files`` are the
members to store, or raises ``H5PPackageError`` with a message saying what was wrong.

Swapping pyh5p for another reader means changing this module only.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

import pyh5p
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from courses import archive
from courses.archive import Limits

from .errors import H5PPackageError

__all__ = ["Limits", "InspectedPackage", "LibraryRef", "check_svg", "inspect_package", "sha256_of"]


# File types, by folder. Library folders may carry code (JS/CSS) and their fonts and images;
# content/ only media; the package root only h5p.json (other harmless root files are skipped
# with a warning). Anything that a browser could run as a document (.html, .svgz, .xhtml),
# a server could run (.php, .cgi, .py...) or an OS could run (.exe, .sh, .bat...) is refused.
MEDIA_TYPES = frozenset(
    "png jpg jpeg gif bmp webp svg tif tiff mp3 mp4 m4a ogg oga ogv webm wav vtt webvtt pdf txt json".split()
)
# H5P's own default whitelist (h5p-php-library, H5PCore::$defaultContentWhitelist and, for libraries,
# $defaultLibraryWhitelistExtras "js css"): real libraries ship office templates (.docx), fonts and media, so
# library folders take all of it. What is served from a package is sandboxed and anything that is not an
# image, sound, video, font or PDF is sent as a download (courses.h5p.playback.content_type_for).
H5P_DEFAULT_WHITELIST = frozenset(
    "json png jpg jpeg gif bmp tif tiff svg eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav txt pdf rtf doc "
    "docx xls xlsx ppt pptx odt ods odp xml csv diff patch swf md textile vtt webvtt gltf glb".split()
)
LIBRARY_TYPES = (
    MEDIA_TYPES | H5P_DEFAULT_WHITELIST | frozenset("js css map".split() + [""])  # "" = LICENSE, README...
)
HARMLESS_ROOT_TYPES = frozenset({"txt", "md"})

LIBRARY_DIR_RE = re.compile(r"^[A-Za-z0-9._-]+-\d+\.\d+$")
REMOTE_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)

SVG_FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "set", "animate"}
)


@dataclass(frozen=True)
class LibraryRef:
    machine_name: str
    major: int
    minor: int
    patch: int | None = None

    @property
    def directory(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.machine_name, self.major, self.minor)


@dataclass
class InspectedPackage:
    sha256: str
    size_bytes: int
    metadata: dict[str, Any]
    content: dict[str, Any]
    main_library: LibraryRef
    bundled: list[LibraryRef]
    needed_installed: list[LibraryRef]
    files: dict[str, bytes]
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.metadata.get("title") or "")[:255]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refuse(message: str, code: str) -> None:
    raise H5PPackageError(message, code=code)


def _extension(name: str) -> str:
    base = posixpath.basename(name)
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def _library_dirs(names: set[str]) -> set[str]:
    return {name.split("/", 1)[0] for name in names if name.count("/") == 1 and name.endswith("/library.json")}


def _check_types(names: list[str], library_dirs: set[str]) -> list[str]:
    """Refuse disallowed types; return root-level extras to skip (with a warning each)."""
    skipped: list[str] = []
    for name in names:
        ext = _extension(name)
        top = name.split("/", 1)[0]
        if "/" not in name:
            if name == "h5p.json":
                continue
            if ext in HARMLESS_ROOT_TYPES:
                skipped.append(name)
                continue
            _refuse(_("The file %(name)r is not allowed at the top of a package.") % {"name": name}, "file_type")
        elif top == "content":
            if ext not in MEDIA_TYPES:
                _refuse(
                    _("The file %(name)r has a type that is not allowed in content/ (%(ext)s).")
                    % {"name": name, "ext": ext or _("no extension")},
                    "file_type",
                )
        elif top in library_dirs:
            if ext not in LIBRARY_TYPES:
                _refuse(
                    _("The file %(name)r has a type that is not allowed in a library (%(ext)s).")
                    % {"name": name, "ext": ext or _("no extension")},
                    "file_type",
                )
        else:
            _refuse(
                _("The folder %(folder)r is neither content/ nor a library with a library.json.") % {"folder": top},
                "file_type",
            )
    return skipped


def check_svg(name: str, data: bytes) -> None:
    """Refuse an SVG that could run script or fetch something: we don't rewrite, we refuse."""
    try:
        root = SafeET.fromstring(data)
    except (DefusedXmlException, SafeET.ParseError, ValueError):
        _refuse(_("The SVG image %(name)r is not well-formed or declares entities.") % {"name": name}, "unsafe_svg")
        return
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag in SVG_FORBIDDEN_ELEMENTS:
            _refuse(
                _("The SVG image %(name)r contains a <%(tag)s> element, which could run code.")
                % {"name": name, "tag": tag},
                "unsafe_svg",
            )
        for attr, value in element.attrib.items():
            local = attr.rsplit("}", 1)[-1].lower()
            lowered = value.strip().lower()
            if local.startswith("on"):
                _refuse(
                    _("The SVG image %(name)r contains an event handler (%(attr)s).") % {"name": name, "attr": local},
                    "unsafe_svg",
                )
            if local == "href" and not (lowered.startswith("#") or lowered.startswith("data:image/")):
                _refuse(
                    _("The SVG image %(name)r links to another document (%(href)s).") % {"name": name, "href": value},
                    "unsafe_svg",
                )
            if "javascript:" in lowered or "url(http" in lowered or "@import" in lowered:
                _refuse(_("The SVG image %(name)r refers to script or remote content.") % {"name": name}, "unsafe_svg")
        if tag == "style" and element.text and ("@import" in element.text or "url(http" in element.text.lower()):
            _refuse(_("The SVG image %(name)r refers to script or remote content.") % {"name": name}, "unsafe_svg")


def _load_json(files: dict[str, bytes], name: str) -> dict[str, Any]:
    if name not in files:
        _refuse(_("The package has no %(name)s.") % {"name": name}, "missing_json")
    try:
        value = json.loads(files[name].decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        _refuse(_("%(name)s is not valid JSON: %(error)s") % {"name": name, "error": exc}, "malformed_json")
    if not isinstance(value, dict):
        _refuse(_("%(name)s must hold a JSON object.") % {"name": name}, "malformed_json")
    return value


def _parse_dependency(dep: Any, where: str) -> LibraryRef:
    try:
        return LibraryRef(str(dep["machineName"]), int(dep["majorVersion"]), int(dep["minorVersion"]))
    except (KeyError, TypeError, ValueError):
        _refuse(_("A dependency in %(where)s is malformed: %(dep)s") % {"where": where, "dep": dep}, "malformed_json")
        raise  # unreachable


def inspect_package(
    data: bytes,
    *,
    installed: set[tuple[str, int, int]] | frozenset = frozenset(),
    limits: Limits | None = None,
    sha256: str | None = None,
) -> InspectedPackage:
    """Check an ``.h5p`` archive held in memory; raise ``H5PPackageError`` on the first problem.

    ``installed`` holds ``(machineName, major, minor)`` of libraries already stored, so a
    content-only package that relies on them is accepted. ``sha256``: the archive's hash when the
    caller has it already (it is computed otherwise).
    """
    limits = limits or Limits()
    not_zip = _("The file is not a ZIP archive (an .h5p package is one).")
    try:
        names = archive.list_names(data, limits=limits, not_zip_message=not_zip)
        library_dirs = _library_dirs(set(names))
        skipped = _check_types(names, library_dirs)
        files = archive.read_archive(data, limits=limits, not_zip_message=not_zip, skip=frozenset(skipped))
    except archive.ArchiveError as exc:
        _refuse(exc.message, exc.code)
    warnings = [_("Skipped the extra top-level file %(name)r.") % {"name": name} for name in skipped]

    for name, payload in files.items():
        if _extension(name) == "svg":
            check_svg(name, payload)

    metadata = _load_json(files, "h5p.json")
    content = _load_json(files, "content/content.json")
    main_name = metadata.get("mainLibrary")
    if not isinstance(main_name, str) or not main_name:
        _refuse(_("h5p.json does not name its main library (mainLibrary)."), "malformed_json")
    deps = metadata.get("preloadedDependencies")
    if not isinstance(deps, list) or not deps:
        _refuse(_("h5p.json lists no preloadedDependencies."), "malformed_json")
    needed = [_parse_dependency(dep, "h5p.json") for dep in deps]
    main = next((ref for ref in needed if ref.machine_name == main_name), None)
    if main is None:
        _refuse(
            _("The main library %(name)s is not among h5p.json's dependencies.") % {"name": main_name},
            "missing_library",
        )

    # pyh5p: parse libraries, check package structure and content against semantics.
    try:
        package = pyh5p.read_package(
            data,
            limits=pyh5p.PackageLimits(
                max_files=limits.max_entries,
                max_file_size=limits.max_entry_bytes,
                max_total_size=limits.max_total_bytes,
                max_compression_ratio=limits.max_entry_ratio,
                allowed_extensions=frozenset(LIBRARY_TYPES - {""}),
            ),
        )
    except pyh5p.H5PError as exc:
        _refuse(_("The package could not be read: %(error)s") % {"error": exc}, "invalid_package")
    bundled: dict[tuple[str, int, int], LibraryRef] = {}
    for lib in package.libraries:
        ref = LibraryRef(lib.id.machine_name, lib.id.major, lib.id.minor, lib.id.patch)
        if lib.id.directory_name.split("/")[0] not in library_dirs and ref.directory not in library_dirs:
            continue
        bundled[ref.key] = ref
        for dep in lib.metadata.get("preloadedDependencies") or []:
            needed.append(_parse_dependency(dep, f"{ref.directory}/library.json"))
    for issue in package.validate(require_content=True, allow_content_only=True):
        text = str(issue)
        if issue.keyword == "additionalProperties":
            continue  # skipped root files, already warned about
        if issue.keyword == "path" and _points_remote(package.content, issue.path):
            warnings.append(_("The content loads remote media (%(path)s); it will not play offline.") % {"path": text})
            continue
        if issue.keyword == "dependency":
            continue  # we check dependencies against bundled + installed below
        _refuse(_("The package is not valid: %(issue)s") % {"issue": text}, "invalid_package")

    missing = sorted({ref.directory for ref in needed if ref.key not in bundled and ref.key not in installed})
    if missing:
        _refuse(
            _("These libraries are neither in the package nor installed: %(libs)s.") % {"libs": ", ".join(missing)},
            "missing_library",
        )
    if main.key in bundled:
        main = bundled[main.key]

    warnings.extend(_semantic_warnings(data))
    return InspectedPackage(
        sha256=sha256 or sha256_of(data),
        size_bytes=len(data),
        metadata=metadata,
        content=content,
        main_library=main,
        bundled=sorted(bundled.values(), key=lambda r: r.key),
        needed_installed=sorted({ref for ref in needed if ref.key not in bundled}, key=lambda r: r.key),
        files=files,
        warnings=warnings,
    )


def _points_remote(content: Any, issue_path: str) -> bool:
    """Whether the ``$.content...path`` that pyh5p flagged is an http(s) URL (remote media)."""
    value: Any = content
    for token in re.findall(r"\.([A-Za-z0-9_]+)|\[(\d+)\]", issue_path.removeprefix("$.content")):
        key, index = token
        try:
            value = value[int(index)] if index else value[key]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(value, str) and bool(REMOTE_RE.match(value))


def _semantic_warnings(data: bytes, limit: int = 5) -> list[str]:
    """Content-vs-semantics findings. pyh5p reports false positives on real packages
    (e.g. ``overallFeedback`` lists), so these are recorded as warnings, not refusals."""
    try:
        issues = pyh5p.load(data).validate()
    except Exception as exc:  # noqa: BLE001 - pyh5p raises assorted errors on unusual semantics
        return [_("Semantics check could not run: %(error)s") % {"error": exc}]
    messages = [_("Semantics: %(issue)s") % {"issue": issue} for issue in issues[:limit]]
    if len(issues) > limit:
        messages.append(_("Semantics: %(count)d more findings.") % {"count": len(issues) - limit})
    return messages
