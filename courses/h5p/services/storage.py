"""Storage housekeeping: folders left without a package row (an import whose outer transaction
rolled back after unpacking, or a crash mid-import).

A folder is only removed once it is older than ``TMP_GRACE_SECONDS``: an import in progress has
unpacked its folder before its transaction commits the package row, so a young folder without a
row may be about to get one."""

from __future__ import annotations

import shutil
import time

from ..models import H5PPackage, storage_root

TMP_GRACE_SECONDS = 60 * 60


def h5p_storage_cleanup(*, now: float | None = None) -> list[str]:
    """Remove unpacked folders no package row points to, and stale temporary folders; returns their names."""
    root = storage_root()
    if not root.is_dir():
        return []
    now = now if now is not None else time.time()
    known = set(H5PPackage.objects.values_list("sha256", flat=True))
    removed = []
    for entry in sorted(root.iterdir()):
        if not entry.is_dir():
            continue
        if now - entry.stat().st_mtime <= TMP_GRACE_SECONDS:
            continue
        stale_tmp = entry.name.startswith(".tmp-")
        orphan = not entry.name.startswith(".") and entry.name not in known
        if stale_tmp or orphan:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed
