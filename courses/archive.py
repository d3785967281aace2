"""Safe reading of uploaded ZIP archives (H5P and SCORM packages).

``read_archive(data, limits)`` refuses, before anything is unpacked: an archive that is not a
ZIP, too large, with too many entries, entries whose names leave the package folder (``..``,
absolute paths, drive letters, backslashes, NUL), names that differ only in case, symbolic
links, encrypted entries, entries too large when unpacked and suspicious compression ratios
(zip bombs). It returns the regular files as ``{name: bytes}``, read in memory. It never
writes to disk; callers unpack the checked files themselves.

Every refusal raises ``ArchiveError`` with a translatable message for people and a stable
``code``; the package readers turn it into their own error type.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _


class ArchiveError(ValueError):
    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


@dataclass(frozen=True)
class Limits:
    max_archive_bytes: int = 200 * 1024 * 1024
    max_entries: int = 5000
    max_entry_bytes: int = 100 * 1024 * 1024
    max_total_bytes: int = 400 * 1024 * 1024
    # Per entry and for the whole archive: uncompressed / compressed. Text compresses about 10:1;
    # a zip bomb is thousands to one.
    max_entry_ratio: float = 200.0
    max_total_ratio: float = 50.0


def _refuse(message: str, code: str) -> None:
    raise ArchiveError(message, code=code)


def too_large_message(limits: Limits) -> str:
    return _("The package is larger than %(limit)d MB.") % {"limit": limits.max_archive_bytes // (1024 * 1024)}


def check_name(name: str) -> str:
    """Refuse a member name that could leave the package folder once unpacked."""
    if not name or "\x00" in name or "\\" in name:
        _refuse(_("The package contains an entry with an invalid name: %(name)r.") % {"name": name}, "unsafe_path")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        _refuse(_("The package contains an absolute path: %(name)r.") % {"name": name}, "unsafe_path")
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        _refuse(_("The package contains a path that leaves its folder: %(name)r.") % {"name": name}, "unsafe_path")
    return name


def check_entries(archive: zipfile.ZipFile, archive_size: int, limits: Limits) -> list[zipfile.ZipInfo]:
    """Check every entry's name, kind and size; return the regular files (directories left out)."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        _refuse(
            _("The package has %(count)d entries; at most %(limit)d are allowed.")
            % {"count": len(infos), "limit": limits.max_entries},
            "too_many_entries",
        )
    seen: set[str] = set()
    total = 0
    files: list[zipfile.ZipInfo] = []
    for info in infos:
        name = check_name(info.filename)
        folded = name.rstrip("/").casefold()
        if folded in seen:
            _refuse(_("The package contains the name %(name)r twice.") % {"name": name}, "duplicate_name")
        seen.add(folded)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            _refuse(_("The package contains a symbolic link: %(name)r.") % {"name": name}, "symlink")
        if info.flag_bits & 0x1:
            _refuse(_("The package contains an encrypted entry: %(name)r.") % {"name": name}, "encrypted")
        if info.is_dir():
            continue
        if info.file_size > limits.max_entry_bytes:
            _refuse(_("The file %(name)r is too large when unpacked.") % {"name": name}, "too_large")
        if info.file_size / max(info.compress_size, 1) > limits.max_entry_ratio:
            _refuse(
                _("The file %(name)r is compressed suspiciously well (a zip bomb?).") % {"name": name},
                "compression_ratio",
            )
        total += info.file_size
        files.append(info)
    if total > limits.max_total_bytes:
        _refuse(
            _("The package unpacks to %(size)d MB; at most %(limit)d MB are allowed.")
            % {"size": total // (1024 * 1024), "limit": limits.max_total_bytes // (1024 * 1024)},
            "too_large",
        )
    if total / max(archive_size, 1) > limits.max_total_ratio:
        _refuse(_("The package is compressed suspiciously well (a zip bomb?)."), "compression_ratio")
    return files


def read_archive(
    data: bytes, *, limits: Limits, not_zip_message: str | None = None, skip: frozenset[str] = frozenset()
) -> dict[str, bytes]:
    """Check the archive held in ``data`` and return its regular files (except ``skip``) by name."""
    if len(data) > limits.max_archive_bytes:
        _refuse(too_large_message(limits), "too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        _refuse(not_zip_message or _("The file is not a ZIP archive."), "not_zip")
    with archive:
        infos = check_entries(archive, len(data), limits)
        files: dict[str, bytes] = {}
        try:
            for info in infos:
                if info.filename not in skip:
                    files[info.filename] = archive.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            _refuse(_("The archive is damaged: %(error)s") % {"error": exc}, "not_zip")
    return files


def list_names(data: bytes, *, limits: Limits, not_zip_message: str | None = None) -> list[str]:
    """The checked file names of an archive, without reading the members."""
    if len(data) > limits.max_archive_bytes:
        _refuse(too_large_message(limits), "too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        _refuse(not_zip_message or _("The file is not a ZIP archive."), "not_zip")
    with archive:
        return [info.filename for info in check_entries(archive, len(data), limits)]


def unpack(files: dict[str, bytes], final) -> None:
    """Write checked ``files`` into a temporary sibling of ``final``, then rename it into place in
    one step (a folder that exists already holds the same bytes: its name is their hash)."""
    import os
    import shutil
    import uuid
    from pathlib import Path

    final = Path(final)
    root = final.parent
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{uuid.uuid4().hex}"
    try:
        for name, payload in files.items():
            target = (tmp / name).resolve()
            if not target.is_relative_to(tmp.resolve()):  # names were checked already; belt and braces
                _refuse(
                    _("The package contains a path that leaves its folder: %(name)r.") % {"name": name}, "unsafe_path"
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)
        if final.exists():
            shutil.rmtree(tmp)
        else:
            os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
