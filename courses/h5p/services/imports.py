"""Importing ``.h5p`` packages: check everything in memory, then unpack once per content hash."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessments.models import Competency

from .. import grading
from ..errors import H5PPackageError
from ..models import H5PActivity, H5PActivityCompetency, H5PLibrary, H5PPackage, storage_root
from ..package import Limits, inspect_package, sha256_of

logger = logging.getLogger(__name__)


def _read_source(*, uploaded_file=None, path: str | os.PathLike | None = None, limits: Limits) -> bytes:
    if (uploaded_file is None) == (path is None):
        raise ValueError("pass exactly one of uploaded_file or path")
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise H5PPackageError(_("No such file: %(path)s") % {"path": p}, code="not_found")
        if p.stat().st_size > limits.max_archive_bytes:
            raise H5PPackageError(
                _("The package is larger than %(limit)d MB.") % {"limit": limits.max_archive_bytes // (1024 * 1024)},
                code="too_large",
            )
        return p.read_bytes()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limits.max_archive_bytes:
        raise H5PPackageError(
            _("The package is larger than %(limit)d MB.") % {"limit": limits.max_archive_bytes // (1024 * 1024)},
            code="too_large",
        )
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(limits.max_archive_bytes + 1)
    return data


def _installed_libraries() -> set[tuple[str, int, int]]:
    return set(H5PLibrary.objects.values_list("machine_name", "major", "minor"))


def _unpack(files: dict[str, bytes], final: Path) -> None:
    """Write into a temporary sibling folder, then rename it into place in one step."""
    root = final.parent
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{uuid.uuid4().hex}"
    try:
        for name, payload in files.items():
            target = (tmp / name).resolve()
            if not target.is_relative_to(tmp.resolve()):  # paths were checked already; belt and braces
                raise H5PPackageError(_("Unsafe path %(name)r.") % {"name": name}, code="unsafe_path")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)
        if final.exists():
            shutil.rmtree(tmp)  # same hash unpacked already (orphan or concurrent import): same bytes
        else:
            os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@transaction.atomic
def h5p_package_import(
    *, uploaded_file=None, path: str | os.PathLike | None = None, uploaded_by=None, limits: Limits | None = None
) -> tuple[H5PPackage, bool]:
    """Check and store a package; returns ``(package, created)``.

    Nothing is written unless every check passes (``H5PPackageError`` otherwise). The same bytes
    uploaded again return the stored package with ``created=False``.
    """
    limits = limits or Limits()
    data = _read_source(uploaded_file=uploaded_file, path=path, limits=limits)
    digest = sha256_of(data)
    existing = H5PPackage.objects.filter(sha256=digest).first()
    if existing is not None:  # these exact bytes passed every check when they were stored
        return existing, False
    inspected = inspect_package(data, installed=_installed_libraries(), limits=limits, sha256=digest)
    final = storage_root() / inspected.sha256
    package = H5PPackage(
        sha256=inspected.sha256,
        title=inspected.title,
        main_library=inspected.main_library.machine_name,
        main_library_version=f"{inspected.main_library.major}.{inspected.main_library.minor}",
        metadata=inspected.metadata,
        content=inspected.content,
        size_bytes=inspected.size_bytes,
        file_count=len(inspected.files),
        max_score=_int_or_none(grading.activity_max(inspected.main_library.machine_name, inspected.content)),
        warnings=inspected.warnings,
        uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            package.save()
    except IntegrityError:  # a concurrent import of the same bytes won
        return H5PPackage.objects.get(sha256=inspected.sha256), False
    _unpack(inspected.files, final)
    try:
        for ref in inspected.bundled:
            H5PLibrary.objects.get_or_create(
                machine_name=ref.machine_name,
                major=ref.major,
                minor=ref.minor,
                defaults={"patch": ref.patch or 0, "package": package},
            )
    except BaseException:
        shutil.rmtree(final, ignore_errors=True)
        raise
    logger.info("Imported H5P package %s (%s)", package.sha256, package.main_library)
    return package, True


def _int_or_none(value: float | None) -> int | None:
    return int(round(value)) if value is not None else None


def competency_resolve(ref) -> Competency:
    """A competency from an instance, an id, ``"FRAMEWORK/CODE"`` or a ``CODE`` unique across frameworks."""
    if isinstance(ref, Competency):
        return ref
    if isinstance(ref, int):
        found = Competency.objects.filter(pk=ref).first()
        if found is None:
            raise H5PPackageError(_("Unknown competency #%(id)s.") % {"id": ref}, code="competency")
        return found
    text = str(ref or "").strip()
    if not text:
        raise H5PPackageError(_("A competency code is empty."), code="competency")
    framework, _sep, code = text.rpartition("/")
    matches = Competency.objects.filter(code=code).select_related("framework")
    if framework:
        matches = matches.filter(framework__code=framework)
    found = list(matches[:5])
    if not found:
        raise H5PPackageError(_("Unknown competency %(ref)s.") % {"ref": text}, code="competency")
    if len(found) > 1:
        options = ", ".join(f"{c.framework.code}/{c.code}" for c in found)
        raise H5PPackageError(
            _("%(ref)s exists in several frameworks; write one of: %(options)s.") % {"ref": text, "options": options},
            code="competency",
        )
    return found[0]


def _check_competencies(competencies: Iterable[tuple[object, float]]) -> list[tuple[Competency, float]]:
    cleaned: list[tuple[Competency, float]] = []
    seen: set[int] = set()
    for ref, weight in competencies:
        competency = competency_resolve(ref)
        try:
            weight = float(weight)
        except (TypeError, ValueError):
            weight = -1.0
        if not (0 < weight <= 1):
            raise H5PPackageError(
                _("The weight of %(code)s must be above 0 and at most 1.") % {"code": competency.code},
                code="competency",
            )
        if competency.pk in seen:
            raise H5PPackageError(
                _("The competency %(code)s is listed twice.") % {"code": competency.code}, code="competency"
            )
        seen.add(competency.pk)
        cleaned.append((competency, weight))
    return cleaned


def _check_pass_mark(pass_mark) -> None:
    try:
        ok = 0 <= int(pass_mark) <= 100
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise H5PPackageError(_("The pass mark must be a whole number from 0 to 100."), code="pass_mark")


@transaction.atomic
def h5p_activity_create(
    *, title: str, package: H5PPackage, competencies: Iterable[tuple[object, float]] = (), pass_mark: int = 60
) -> H5PActivity:
    title = (title or package.title or package.main_library).strip()[:255]
    _check_pass_mark(pass_mark)
    links = _check_competencies(competencies)
    activity = H5PActivity.objects.create(title=title, package=package, pass_mark=int(pass_mark))
    H5PActivityCompetency.objects.bulk_create(
        [
            H5PActivityCompetency(activity=activity, competency=competency, weight=weight, sort_order=i)
            for i, (competency, weight) in enumerate(links)
        ]
    )
    return activity


@transaction.atomic
def h5p_activity_import(
    *,
    uploaded_file=None,
    path: str | os.PathLike | None = None,
    title: str | None = None,
    competencies: Iterable[tuple[object, float]] = (),
    pass_mark: int = 60,
    uploaded_by=None,
) -> H5PActivity:
    """Import a package (or reuse the stored one with the same bytes) and create an activity for it."""
    links = _check_competencies(competencies)
    _check_pass_mark(pass_mark)
    package, _created = h5p_package_import(uploaded_file=uploaded_file, path=path, uploaded_by=uploaded_by)
    return h5p_activity_create(title=title or "", package=package, competencies=links, pass_mark=pass_mark)
