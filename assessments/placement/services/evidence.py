"""A finished diagnostic becomes evidence: one row per competency of each measured area.

The rule (the README repeats it):

* source ``diagnostic``, reference ``placement:<session id>``; the note says it is a placement, not mastery;
* the level: the area's placement, passed as the level observed (``level_id``): the evidence is at that
  level's band and supports at most that level (``assessments.scoring.levels``);
* score: the posterior probability that the officer's ability reaches the placed level's cut score
  (``SectionResult.at_least``; 1 at the lowest level), so a placement supports its level under the mastery
  threshold (70 %) only when it is confident, and a hesitant one does not;
* weight: the reliability of the ability estimate, ``1 - SE²`` (``irt.evidence_weight``): precise
  placements count fully, vague ones little;
* a retake supersedes every live row of the previous placement of the same form.
"""

from __future__ import annotations

from datetime import datetime

from assessments.models import Competency, EvidenceSource
from assessments.scoring import irt
from assessments.services.evidence import EvidenceItem, SourceEvidence, evidence_supersede_many

from ..models import DiagnosticSession, SectionResult

NOTE = "Diagnostic placement (adaptive test), not a demonstration of mastery."


def placement_evidence_write(*, session: DiagnosticSession, previous: list[DiagnosticSession], now: datetime) -> None:
    sections = list(SectionResult.objects.filter(session=session))
    if not sections:
        return
    competencies: dict[int, list[int]] = {}
    for cid, area_id in Competency.objects.filter(area_id__in=[s.area_id for s in sections]).values_list(
        "pk", "area_id"
    ):
        competencies.setdefault(area_id, []).append(cid)
    items = [
        EvidenceItem(
            competency_id=cid,
            score=min(max(section.at_least, 0.0), 1.0),
            weight=irt.evidence_weight(section.se),
            level_id=section.level_id,
        )
        for section in sections
        for cid in competencies.get(section.area_id, [])
    ]
    records = [SourceEvidence(source_ref=p.source_ref, items=[]) for p in previous]
    records.append(SourceEvidence(source_ref=session.source_ref, items=items))
    evidence_supersede_many(person=session.person, source=EvidenceSource.DIAGNOSTIC, records=records, note=NOTE)
