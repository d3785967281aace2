"""Audit entries for admin changes that move scores or ratings: frameworks (levels and their thresholds),
competencies (the crosswalk) and target profiles (the levels people are measured against).

Each entry holds the actor, what the thing looked like before and after (only what changed), and the
ministry's root unit as the affected unit: these changes apply to everyone, so every HR sees them.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def framework_state(pk) -> dict[str, Any] | None:
    from .models import Framework

    fw = Framework.objects.filter(pk=pk).first()
    if fw is None:
        return None
    return {
        "code": fw.code,
        "version": fw.version,
        "name_vi": fw.name_vi,
        "name_en": fw.name_en,
        "is_current": fw.is_current,
        "levels": [list(row) for row in fw.levels.order_by("rank").values_list("rank", "code", "min_score")],
    }


def competency_state(pk) -> dict[str, Any] | None:
    from .models import Competency

    c = Competency.objects.select_related("framework").filter(pk=pk).first()
    if c is None:
        return None
    return {
        "framework": c.framework.code,
        "code": c.code,
        "name_vi": c.name_vi,
        "name_en": c.name_en,
        "area": c.area_id,
        "mappings": sorted(
            [f"{fw}/{code}", relation]
            for fw, code, relation in c.mappings.values_list("target__framework__code", "target__code", "relation")
        ),
    }


def profile_state(pk) -> dict[str, Any] | None:
    from .models import TargetProfile

    p = TargetProfile.objects.select_related("framework").filter(pk=pk).first()
    if p is None:
        return None
    return {
        "code": p.code,
        "framework": p.framework.code,
        "name_vi": p.name_vi,
        "name_en": p.name_en,
        "positions": p.positions,
        "requirements": sorted(list(row) for row in p.requirements.values_list("competency__code", "level__code")),
    }


def _diff(before: dict | None, after: dict | None) -> dict[str, Any]:
    if before is None or after is None:
        return {"before": before, "after": after}
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {"before": {k: before.get(k) for k in keys}, "after": {k: after[k] for k in keys}}


def record_change(*, actor, action: str, target: models.Model | str, before: dict | None, after: dict | None) -> None:
    """Audit a change (nothing when nothing changed)."""
    if before == after:
        return
    from lms.models import Unit
    from reports.services.audit import audit_record

    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    audit_record(actor=actor, action=action, target=target, params=_diff(before, after), unit=root)
