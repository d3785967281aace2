"""Checking a SCORM package (a ZIP with ``imsmanifest.xml`` at its top) held in memory.

The archive goes through ``courses.archive`` (the same limits as H5P packages: traversal, links,
duplicates, counts, sizes, zip bombs), then the manifest through ``manifest.manifest_parse``.
Nothing is written and the database is not touched: the caller stores ``files``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from courses import archive
from courses.archive import Limits

from .errors import SCORMPackageError
from .manifest import Manifest, manifest_parse

__all__ = ["InspectedPackage", "Limits", "inspect_package", "sha256_of"]


@dataclass
class InspectedPackage:
    sha256: str
    size_bytes: int
    manifest: Manifest
    files: dict[str, bytes]
    warnings: list[str] = field(default_factory=list)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inspect_package(data: bytes, *, limits: Limits | None = None, sha256: str | None = None) -> InspectedPackage:
    limits = limits or Limits()
    try:
        files = archive.read_archive(
            data, limits=limits, not_zip_message=_("The file is not a ZIP archive (a SCORM package is one).")
        )
    except archive.ArchiveError as exc:
        raise SCORMPackageError(exc.message, code=exc.code) from None
    if "imsmanifest.xml" not in files:
        nested = sorted(name for name in files if name.rsplit("/", 1)[-1].casefold() == "imsmanifest.xml")
        if nested:
            raise SCORMPackageError(
                _("imsmanifest.xml must be at the top of the package, not in %(path)s (zip the folder's contents).")
                % {"path": nested[0]},
                code="missing_manifest",
            )
        raise SCORMPackageError(
            _("The package has no imsmanifest.xml, so it is not a SCORM package."), code="missing_manifest"
        )
    manifest = manifest_parse(files["imsmanifest.xml"], set(files))
    return InspectedPackage(
        sha256=sha256 or sha256_of(data),
        size_bytes=len(data),
        manifest=manifest,
        files=files,
        warnings=list(manifest.warnings),
    )
