"""Importing SCORM packages: check everything in memory, then unpack once per content hash."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessments.models import Band
from courses import archive
from courses.h5p.errors import H5PPackageError
from courses.h5p.services.imports import competency_resolve

from ..errors import SCORMPackageError
from ..models import SCORMActivity, SCORMActivityCompetency, SCORMPackage, storage_root
from ..package import Limits, inspect_package, sha256_of

logger = logging.getLogger(__name__)


def _read_source(*, uploaded_file=None, path: str | os.PathLike | None = None, limits: Limits) -> bytes:
    if (uploaded_file is None) == (path is None):
        raise ValueError("pass exactly one of uploaded_file or path")
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise SCORMPackageError(_("No such file: %(path)s") % {"path": p}, code="not_found")
        if p.stat().st_size > limits.max_archive_bytes:
            raise SCORMPackageError(archive.too_large_message(limits), code="too_large")
        return p.read_bytes()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limits.max_archive_bytes:
        raise SCORMPackageError(archive.too_large_message(limits), code="too_large")
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    return uploaded_file.read(limits.max_archive_bytes + 1)


@transaction.atomic
def scorm_package_import(
    *, uploaded_file=None, path: str | os.PathLike | None = None, uploaded_by=None, limits: Limits | None = None
) -> tuple[SCORMPackage, bool]:
    """Check and store a package; returns ``(package, created)``.

    Nothing is written unless every check passes (``SCORMPackageError`` otherwise). The same bytes
    uploaded again return the stored package with ``created=False``."""
    limits = limits or Limits()
    data = _read_source(uploaded_file=uploaded_file, path=path, limits=limits)
    digest = sha256_of(data)
    existing = SCORMPackage.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    inspected = inspect_package(data, limits=limits, sha256=digest)
    manifest = inspected.manifest
    package = SCORMPackage(
        sha256=digest,
        version=manifest.version,
        identifier=manifest.identifier,
        title=manifest.title,
        items=manifest.as_json(),
        size_bytes=inspected.size_bytes,
        file_count=len(inspected.files),
        warnings=inspected.warnings,
        uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            package.save()
    except IntegrityError:  # a concurrent import of the same bytes won
        return SCORMPackage.objects.get(sha256=digest), False
    final = storage_root() / digest
    try:
        archive.unpack(inspected.files, final)
    except archive.ArchiveError as exc:
        raise SCORMPackageError(exc.message, code=exc.code) from None
    except OSError:
        shutil.rmtree(final, ignore_errors=True)
        raise
    logger.info("Imported SCORM package %s (%s, %d items)", digest, manifest.version, len(manifest.items))
    return package, True


def _check_competencies(competencies: Iterable[tuple[object, float]]) -> list[tuple[object, float]]:
    cleaned: list[tuple[object, float]] = []
    seen: set[int] = set()
    for ref, weight in competencies:
        try:
            competency = competency_resolve(ref)
        except H5PPackageError as exc:
            raise SCORMPackageError(exc.message, code="competency") from None
        try:
            weight = float(weight)
        except (TypeError, ValueError):
            weight = -1.0
        if not (0 < weight <= 1):
            raise SCORMPackageError(
                _("The weight of %(code)s must be above 0 and at most 1.") % {"code": competency.code},
                code="competency",
            )
        if competency.pk in seen:
            raise SCORMPackageError(
                _("The competency %(code)s is listed twice.") % {"code": competency.code}, code="competency"
            )
        seen.add(competency.pk)
        cleaned.append((competency, weight))
    return cleaned


def _check_pass_mark(pass_mark) -> int:
    try:
        value = int(pass_mark)
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= 100:
        raise SCORMPackageError(_("The pass mark must be a whole number from 0 to 100."), code="pass_mark")
    return value


@transaction.atomic
def scorm_activity_create(
    *,
    title: str,
    package: SCORMPackage,
    competencies: Iterable[tuple[object, float]] = (),
    pass_mark: int = 60,
    band: str = Band.BASIC,
) -> SCORMActivity:
    mark = _check_pass_mark(pass_mark)
    if band not in Band.values:
        raise SCORMPackageError(
            _("Unknown band %(band)r; use one of: %(bands)s.") % {"band": band, "bands": ", ".join(Band.values)},
            code="band",
        )
    links = _check_competencies(competencies)
    title = (title or package.title or package.identifier or "SCORM").strip()[:255]
    activity = SCORMActivity.objects.create(title=title, package=package, pass_mark=mark, band=band)
    SCORMActivityCompetency.objects.bulk_create(
        [
            SCORMActivityCompetency(activity=activity, competency=competency, weight=weight, sort_order=i)
            for i, (competency, weight) in enumerate(links)
        ]
    )
    return activity


@transaction.atomic
def scorm_activity_import(
    *,
    uploaded_file=None,
    path: str | os.PathLike | None = None,
    title: str | None = None,
    competencies: Iterable[tuple[object, float]] = (),
    pass_mark: int = 60,
    band: str = Band.BASIC,
    uploaded_by=None,
) -> SCORMActivity:
    """Import a package (or reuse the stored one with the same bytes) and create an activity for it."""
    links = _check_competencies(competencies)
    _check_pass_mark(pass_mark)
    package, _created = scorm_package_import(uploaded_file=uploaded_file, path=path, uploaded_by=uploaded_by)
    return scorm_activity_create(title=title or "", package=package, competencies=links, pass_mark=pass_mark, band=band)
