"""Mapped statements become competency evidence; voiding a statement supersedes its evidence.

A statement counts when it was sent through the LRS by an integration, names a known officer within
the credential's HR scope (``Statement.person``, set when it was stored), is about an activity an
administrator mapped (exact address or prefix), and carries a result: ``score.scaled`` (negative
values count as 0), else ``raw`` over ``max``, else ``success`` (1 or 0). Each becomes self-reported
evidence (the score comes from the other tool, never graded here) with ``source_ref``
``xapi:<statement id>``, one row per mapped competency with the mapping's band and weight.

Per batch: one read of the mappings, then one evidence write per officer concerned (not per
statement), plus one read of the evidence the batch's voiding statements withdraw.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict

from assessments.errors import EvidenceError
from assessments.models import Evidence, EvidenceSource
from assessments.services.evidence import EvidenceItem, SourceEvidence, evidence_supersede_many
from lms.models import StaffProfile

from ..keys import verb_key
from ..models import ActivityMapping, Statement
from ..validation import VOIDED

logger = logging.getLogger(__name__)

SOURCE_PREFIX = "xapi:"


def source_ref_for(statement_id) -> str:
    return f"{SOURCE_PREFIX}{statement_id}"


def score_of(result) -> float | None:
    """The statement's result as a score in [0, 1], or None when it carries none."""
    if not isinstance(result, dict):
        return None
    score = result.get("score") if isinstance(result.get("score"), dict) else {}
    scaled = score.get("scaled")
    if isinstance(scaled, int | float) and not isinstance(scaled, bool) and math.isfinite(scaled):
        return min(1.0, max(0.0, float(scaled)))
    raw, most, least = score.get("raw"), score.get("max"), score.get("min", 0)
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (raw, most, least))
    if numbers and most > least:
        return min(1.0, max(0.0, (raw - least) / (most - least)))
    if isinstance(result.get("success"), bool):
        return 1.0 if result["success"] else 0.0
    return None


def _item(mapping: ActivityMapping, score: float) -> EvidenceItem:
    return EvidenceItem(competency_id=mapping.competency_id, score=score, weight=mapping.weight, band=mapping.band)


def statements_to_evidence(rows: list[Statement]) -> None:
    """Evidence from the newly stored ``rows`` (``xapi.Statement``), and withdrawal for their voidings."""
    voided_key = verb_key(VOIDED)
    records: dict[int, list[SourceEvidence]] = defaultdict(list)
    candidates = [row for row in rows if row.person_id and not row.voided and row.verb_key != voided_key]
    candidates = [row for row in candidates if _activity_iri(row.raw) and score_of(row.raw.get("result")) is not None]
    if candidates:
        mappings = list(ActivityMapping.objects.all())
        for row in candidates:
            iri = _activity_iri(row.raw)
            matched = {m.competency_id: m for m in mappings if m.matches(iri)}
            if matched:
                score = score_of(row.raw.get("result"))
                items = [_item(mapping, score) for mapping in matched.values()]
                records[row.person_id].append(
                    SourceEvidence(source_ref=source_ref_for(row.statement_id), items=items, self_reported=True)
                )
    voidings = {(row.object_ref, row.credential_id) for row in rows if row.verb_key == voided_key and row.object_ref}
    withdrawn = []
    if voidings:
        # Only what a voiding really voided: a statement from the same sender (``store._apply_voiding``).
        senders = dict(
            Statement.objects.filter(statement_id__in={t for t, _ in voidings}, voided=True).values_list(
                "statement_id", "credential_id"
            )
        )
        withdrawn = [t for t, sender in voidings if t in senders and senders[t] == sender]
    if withdrawn:
        live = (
            Evidence.objects.live()
            .filter(source=EvidenceSource.XAPI, source_ref__in=[source_ref_for(t) for t in withdrawn])
            .values_list("person_id", "source_ref")
            .distinct()
        )
        for person_id, source_ref in live:
            records[person_id].append(SourceEvidence(source_ref=source_ref, items=[], self_reported=True))
    if not records:
        return
    people = StaffProfile.objects.in_bulk(list(records))
    for person_id, person_records in records.items():
        try:
            evidence_supersede_many(person=people[person_id], source=EvidenceSource.XAPI, records=person_records)
        except EvidenceError as exc:  # e.g. a mapping's band the framework lost since: the statement stays stored
            logger.warning("xAPI evidence for person %s not recorded: %s", person_id, exc)


def _activity_iri(statement: dict) -> str | None:
    obj = statement.get("object")
    if isinstance(obj, dict) and obj.get("objectType", "Activity") == "Activity" and isinstance(obj.get("id"), str):
        return obj["id"]
    return None
