"""Recording evidence: the one way results (quizzes, H5P, trainers) reach the competency scores."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from lms.models import StaffProfile

from .. import errors
from ..errors import EvidenceError
from ..models import Competency, Evidence, EvidenceSource, Framework
from .scores import scores_refresh

# Clock skew we tolerate between the caller's clock and ours for ``recorded_at``.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class EvidenceItem:
    competency_id: int
    score: float  # normalised 0..1
    weight: float = 1.0  # in (0, 1]


def _check_source(source: str, source_ref: str) -> None:
    if source not in EvidenceSource.values:
        raise EvidenceError(errors.BAD_SOURCE % {"value": source}, field="source")
    if not (source_ref or "").strip():
        raise EvidenceError(errors.NO_SOURCE_REF, field="source_ref")
    if len(source_ref) > 120:
        raise EvidenceError(errors.SOURCE_REF_TOO_LONG, field="source_ref")


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and not isinstance(value, bool) else None


def _check_items(items: list[EvidenceItem]) -> dict[int, Competency]:
    """Validate every item; returns the competencies by id (one query)."""
    for i, item in enumerate(items):
        score = _number(item.score)
        if score is None or not 0.0 <= score <= 1.0:
            raise EvidenceError(errors.BAD_SCORE % {"value": item.score}, field=f"items[{i}].score")
        weight = _number(item.weight)
        if weight is None or not 0.0 < weight <= 1.0:
            raise EvidenceError(errors.BAD_WEIGHT % {"value": item.weight}, field=f"items[{i}].weight")
        if not isinstance(item.competency_id, int) or isinstance(item.competency_id, bool):
            raise EvidenceError(
                errors.UNKNOWN_COMPETENCY % {"ref": repr(item.competency_id)}, field=f"items[{i}].competency_id"
            )
    wanted = {item.competency_id for item in items}
    found = {c.pk: c for c in Competency.objects.filter(pk__in=wanted).only("pk", "framework_id", "code")}
    for i, item in enumerate(items):
        if item.competency_id not in found:
            raise EvidenceError(
                errors.UNKNOWN_COMPETENCY % {"ref": f"#{item.competency_id}"}, field=f"items[{i}].competency_id"
            )
    return found


def _lock_active_person(person: StaffProfile) -> None:
    """Lock the person's row (serialises concurrent score updates for one person) and check they are active."""
    # order_by("pk") drops the default ordering's join to lms_unit, and of=("self",) keeps the lock on
    # this one row: locking the unit would serialise every officer of the unit. FOR NO KEY UPDATE
    # does not block the key-share locks PostgreSQL's foreign-key checks take: writers of rows that
    # point at the person (statements, attempts) neither wait for it nor deadlock with it.
    active = (
        StaffProfile.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=person.pk)
        .order_by("pk")
        .values_list("is_active", flat=True)
        .first()
    )
    if not active:
        raise EvidenceError(errors.INACTIVE_PERSON % {"person": str(person)}, field="person", code="inactive")


def _rows(*, person, items, source, source_ref, self_reported, recorded_at, recorded_by, note) -> list[Evidence]:
    return [
        Evidence(
            person_id=person.pk,
            competency_id=item.competency_id,
            score=float(item.score),
            weight=float(item.weight),
            source=source,
            source_ref=source_ref,
            self_reported=bool(self_reported),
            note=note or "",
            recorded_at=recorded_at,
            recorded_by=recorded_by,
        )
        for item in items
    ]


@transaction.atomic
def evidence_record(
    *,
    person: StaffProfile,
    items: list[EvidenceItem],
    source: str,
    source_ref: str,
    self_reported: bool = False,
    recorded_at=None,
    recorded_by=None,
    note: str = "",
) -> list[Evidence]:
    """Record results for a person and bring their current scores up to date, in one transaction.

    Raises EvidenceError (nothing written) for an unknown competency, a score outside [0, 1],
    a weight outside (0, 1], an unknown source, a missing source reference, a date in the
    future, or a person who is not active staff. A constant number of queries whatever the
    number of items or the size of the history.
    """
    now = timezone.now()
    recorded_at = recorded_at or now
    if timezone.is_naive(recorded_at):
        recorded_at = timezone.make_aware(recorded_at)
    _check_source(source, source_ref)
    if not items:
        raise EvidenceError(errors.NO_ITEMS, field="items")
    if recorded_at > now + FUTURE_TOLERANCE:
        raise EvidenceError(errors.FUTURE_DATE, field="recorded_at")
    competencies = _check_items(items)
    _lock_active_person(person)
    created = Evidence.objects.bulk_create(
        _rows(
            person=person,
            items=items,
            source=source,
            source_ref=source_ref,
            self_reported=self_reported,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            note=note,
        )
    )
    scores_refresh(person_id=person.pk, framework_of={c.pk: c.framework_id for c in competencies.values()}, now=now)
    return created


@transaction.atomic
def manual_assessment_record(
    *,
    actor,
    person: StaffProfile,
    competency: Competency,
    score: float,
    recorded_at=None,
    note: str = "",
) -> Evidence:
    """A trainer's manual (practical) assessment: one evidence row plus its audit entry, in one transaction.

    ``score`` is normalised 0..1. Raises EvidenceError (nothing written, nothing audited) like
    ``evidence_record``. Authorisation is the caller's job.
    """
    from reports.services.audit import audit_record

    source_ref = f"manual:{uuid.uuid4().hex[:16]}"
    (evidence,) = evidence_record(
        person=person,
        items=[EvidenceItem(competency_id=competency.pk, score=score)],
        source=EvidenceSource.MANUAL,
        source_ref=source_ref,
        recorded_at=recorded_at,
        recorded_by=actor,
        note=note,
    )
    audit_record(
        actor=actor,
        action="competency.manual_assessment",
        target=evidence,
        params={
            "person": person.employee_number,
            "competency": competency.code,
            "score_percent": round(score * 100, 2),
            "recorded_at": evidence.recorded_at,
            "source_ref": source_ref,
            "note": note,
        },
        unit=person.unit,
    )
    return evidence


def evidence_supersede(
    *,
    source_ref: str,
    person: StaffProfile,
    items: list[EvidenceItem],
    source: str,
    self_reported: bool = False,
    recorded_by=None,
    note: str = "",
) -> list[Evidence]:
    """Replace the live evidence a source produced (a quiz regrade, a corrected assessment).

    Every live row of this person with ``source_ref`` is stamped superseded (linked to the first
    new row) and ``items`` are recorded instead; ``items`` may be empty to withdraw the evidence.
    Scores of every competency touched, old or new, are refreshed in the same transaction.
    """
    records = [SourceEvidence(source_ref=source_ref, items=items, self_reported=self_reported)]
    return evidence_supersede_many(person=person, source=source, records=records, recorded_by=recorded_by, note=note)[
        source_ref
    ]


@dataclass(frozen=True)
class SourceEvidence:
    """The evidence one source (``source_ref``: an attempt, an assessment) gives about a person.

    ``recorded_at``: when the result was demonstrated; by default the moment of the rows it replaces
    (a regrade keeps the original moment), or now. ``replaces``: other references whose live rows
    this record supersedes too (a source that was recorded under another reference before, such as
    an H5P activity's attempts recorded one by one before attempts were combined).
    """

    source_ref: str
    items: list[EvidenceItem]
    self_reported: bool = False
    recorded_at: datetime | None = None
    replaces: tuple[str, ...] = ()


def _unchanged(record: SourceEvidence, old: list[tuple], recorded_at) -> bool:
    """The live rows of ``record.source_ref`` already say exactly what ``record`` says."""
    if not old or any(row[4] != record.source_ref for row in old):
        return False
    have = sorted((row[1], row[5], row[6], row[7], row[2]) for row in old)
    want = sorted(
        (item.competency_id, float(item.score), float(item.weight), bool(record.self_reported), recorded_at)
        for item in record.items
    )
    return have == want


@transaction.atomic
def evidence_supersede_many(
    *,
    person: StaffProfile,
    source: str,
    records: list[SourceEvidence],
    recorded_by=None,
    note: str = "",
    keep_unchanged: bool = False,
) -> dict[str, list[Evidence]]:
    """``evidence_supersede`` for several sources of one person at once (a batch of finished H5P
    attempts): one lock on the person, one read of the old rows, one insert and one score refresh
    for all of them, instead of one of each per source. Returns the new rows per ``source_ref``.

    With ``keep_unchanged`` a record whose live rows already say the same (competencies, scores,
    weights, moment) writes nothing and maps to ``[]``: recomputing a combined result that did not
    change (a worse retry under "highest") leaves the history as it was.
    """
    now = timezone.now()
    refs = [record.source_ref for record in records]
    if len(set(refs)) != len(refs):
        raise EvidenceError(errors.DUPLICATE_SOURCE_REF, field="source_ref")
    owner = {ref: ref for ref in refs}
    for record in records:
        for other in record.replaces:
            owner.setdefault(other, record.source_ref)
    for ref in refs:
        _check_source(source, ref)
    every_item = [item for record in records for item in record.items]
    competencies = _check_items(every_item) if every_item else {}
    _lock_active_person(person)
    old = list(
        Evidence.objects.live()
        .filter(person_id=person.pk, source_ref__in=list(owner))
        .values_list(
            "pk",
            "competency_id",
            "recorded_at",
            "competency__framework_id",
            "source_ref",
            "score",
            "weight",
            "self_reported",
        )
    )
    old_by_ref: dict[str, list[tuple]] = {ref: [] for ref in refs}
    for row in old:
        old_by_ref[owner[row[4]]].append(row)
    rows: list[Evidence] = []
    spans: dict[str, tuple[int, int]] = {}
    for record in records:
        # A regrade keeps the moment of the original attempt, so the recency weighting does not change.
        recorded_at = record.recorded_at or min((row[2] for row in old_by_ref[record.source_ref]), default=now)
        if timezone.is_naive(recorded_at):
            recorded_at = timezone.make_aware(recorded_at)
        if keep_unchanged and _unchanged(record, old_by_ref[record.source_ref], recorded_at):
            old_by_ref[record.source_ref] = []
            spans[record.source_ref] = (len(rows), len(rows))
            continue
        new = _rows(
            person=person,
            items=record.items,
            source=source,
            source_ref=record.source_ref,
            self_reported=record.self_reported,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            note=note,
        )
        spans[record.source_ref] = (len(rows), len(rows) + len(new))
        rows += new
    created = Evidence.objects.bulk_create(rows) if rows else []
    result = {ref: created[start:end] for ref, (start, end) in spans.items()}
    for ref, replaced in old_by_ref.items():
        if replaced:
            Evidence.objects.filter(pk__in=[row[0] for row in replaced]).update(
                superseded_at=now, superseded_by=result[ref][0] if result[ref] else None
            )
    touched = {row[1]: row[3] for rows_of in old_by_ref.values() for row in rows_of}
    touched.update({row.competency_id: competencies[row.competency_id].framework_id for row in rows})
    if touched:
        scores_refresh(person_id=person.pk, framework_of=touched, now=now)
    return result


def competency_ids_for_codes(*, framework_code: str, codes: list[str]) -> dict[str, int]:
    """Map competency codes of a framework's current version to ids, for callers that store codes.

    Raises EvidenceError naming the first unknown framework or code, so imports and quiz links can
    refuse bad input before anything is written.
    """
    framework = Framework.objects.current().filter(code=framework_code).first()
    if framework is None:
        raise EvidenceError(errors.UNKNOWN_FRAMEWORK % {"code": framework_code}, field="framework")
    found = dict(Competency.objects.filter(framework=framework, code__in=codes).values_list("code", "pk"))
    for i, code in enumerate(codes):
        if code not in found:
            raise EvidenceError(
                errors.UNKNOWN_COMPETENCY_CODE % {"code": code, "framework": framework_code}, field=f"codes[{i}]"
            )
    return found
