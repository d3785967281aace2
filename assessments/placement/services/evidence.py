"""A finished diagnostic becomes evidence: one row per competency of each measured area.

The rule (the README repeats it):

* source ``diagnostic``, reference ``placement:<session id>``; the note says it is a placement, not mastery;
* the level: the area's placement (the evidence supports at most that level of the framework);
* score: the ability's position on the framework's 0–1 chart scale: θ between the cut scores of the placed
  level and the next one maps linearly between those levels' ``min_score`` (so the chart shows the level
  the officer was placed at);
* weight: the reliability of the ability estimate, ``1 - SE²`` (``irt.evidence_weight``): precise
  placements count fully, vague ones little;
* a retake supersedes every live row of the previous placement of the same form.
"""

from __future__ import annotations

from datetime import datetime

from assessments.models import Competency, EvidenceSource, ProficiencyLevel
from assessments.scoring import irt
from assessments.services.evidence import EvidenceItem, SourceEvidence, evidence_supersede_many

from ..models import DiagnosticSession, SectionResult
from . import bank as bank_service

NOTE = "Diagnostic placement (adaptive test), not a demonstration of mastery."


def chart_score(theta: float, *, level_id: int, cuts: list[tuple[int, float]], levels: list[ProficiencyLevel]) -> float:
    """θ → 0..1 on the framework's chart scale, inside the placed level's span (see the module rule)."""
    by_id = {lv.pk: lv for lv in levels}
    order = [lid for lid, _ in sorted(cuts, key=lambda c: c[1])]
    index = order.index(level_id)
    low_score = by_id[level_id].min_score
    high_score = by_id[order[index + 1]].min_score if index + 1 < len(order) else 1.0
    cut = dict(cuts)
    low_theta = cut[level_id] if index > 0 else irt.THETA_MIN
    high_theta = cut[order[index + 1]] if index + 1 < len(order) else irt.THETA_MAX
    span = max(high_theta - low_theta, 1e-9)
    share = min(max((theta - low_theta) / span, 0.0), 0.999)
    return round(low_score + share * (high_score - low_score), 4)


def placement_evidence_write(*, session: DiagnosticSession, previous: list[DiagnosticSession], now: datetime) -> None:
    sections = list(SectionResult.objects.filter(session=session))
    if not sections:
        return
    form = session.form
    levels = bank_service.form_levels(form)
    cuts = bank_service.form_cuts(form, levels)
    competencies: dict[int, list[int]] = {}
    for cid, area_id in Competency.objects.filter(area_id__in=[s.area_id for s in sections]).values_list(
        "pk", "area_id"
    ):
        competencies.setdefault(area_id, []).append(cid)
    items = [
        EvidenceItem(
            competency_id=cid,
            score=chart_score(section.theta, level_id=section.level_id, cuts=cuts, levels=levels),
            weight=irt.evidence_weight(section.se),
        )
        for section in sections
        for cid in competencies.get(section.area_id, [])
    ]
    records = [SourceEvidence(source_ref=p.source_ref, items=[]) for p in previous]
    records.append(SourceEvidence(source_ref=session.source_ref, items=items))
    evidence_supersede_many(person=session.person, source=EvidenceSource.DIAGNOSTIC, records=records, note=NOTE)
