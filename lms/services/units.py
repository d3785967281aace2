"""Writes to the organisation tree. Paths are kept here and nowhere else."""

from __future__ import annotations

from django.db import transaction

from ..models import Unit


def _path_for(unit_id: int, parent_path: str) -> str:
    return f"{parent_path or '/'}{unit_id}/"


@transaction.atomic
def unit_tree_rebuild() -> int:
    """Recompute every unit's path and depth from the parent links; returns how many changed.

    The tree is a few hundred rows, so one read and one bulk update is cheaper and
    simpler than patching subtrees move by move.
    """
    units = {u.pk: u for u in Unit.objects.select_for_update().only("id", "parent_id", "path", "depth")}
    children: dict[int | None, list[Unit]] = {}
    for u in units.values():
        children.setdefault(u.parent_id, []).append(u)
    changed: list[Unit] = []
    stack = [(root, "", 0) for root in children.get(None, [])]
    seen = 0
    while stack:
        unit, parent_path, depth = stack.pop()
        seen += 1
        path = _path_for(unit.pk, parent_path)
        if unit.path != path or unit.depth != depth:
            unit.path, unit.depth = path, depth
            changed.append(unit)
        stack.extend((child, path, depth + 1) for child in children.get(unit.pk, []))
    if seen != len(units):
        raise ValueError("The unit tree has a cycle; refusing to rebuild paths.")
    Unit.objects.bulk_update(changed, ["path", "depth"], batch_size=500)
    return len(changed)


@transaction.atomic
def unit_create(*, code: str, kind: str, name_vi: str, name_en: str, parent: Unit | None = None) -> Unit:
    unit = Unit.objects.create(code=code, kind=kind, name_vi=name_vi, name_en=name_en, parent=parent)
    unit.path = _path_for(unit.pk, parent.path if parent else "")
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit
