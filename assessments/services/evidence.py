"""Recording evidence: the one way results (quizzes, H5P, trainers, placement) reach the competency scores.

Bands, for callers (quizzes, H5P, the placement test, imports): every ``EvidenceItem`` says which proficiency
band its source assessed (``band="intermediate"``, one of ``assessments.models.Band``), or, for an assessor
who observed an exact level, ``level_id`` (a ``ProficiencyLevel`` of the competency's framework; the band
is then that level's). The evidence can support at most the band's top level (or the level observed).
A band the competency's framework does not have is refused (``EvidenceError``, field ``items[i].band``,
nothing written). An item without a band is taken at the framework's lowest band: evidence that does not
say what it assessed can never certify more than the beginner band.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from lms.models import StaffProfile

from .. import errors
from ..errors import EvidenceError
from ..models import Band, Competency, Evidence, EvidenceSource, Framework
from ..sources.registry import check_refs
from .scores import scores_refresh

# Clock skew we tolerate between the caller's clock and ours for ``recorded_at``.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class EvidenceItem:
    competency_id: int
    score: float  # normalised 0..1
    weight: float = 1.0  # in (0, 1]
    band: str = ""  # a Band value; "" = the framework's lowest band (or the band of ``level_id``)
    level_id: int | None = None  # a level observed (manual assessment): the evidence supports at most it


@dataclass(frozen=True)
class _Checked:
    """A validated item's competency, with the band and level observed the row will store."""

    competency_id: int
    framework_id: int
    band: str
    level_id: int | None


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


def _check_items(items: list[EvidenceItem]) -> dict[int, _Checked]:
    """Validate every item; returns each item's band and level observed by index (one query).

    The query reads the competencies joined to their frameworks' levels, so checking the bands costs
    nothing more than checking the competencies did.
    """
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
        if not isinstance(item.band, str) or (item.band and item.band not in Band.values):
            raise EvidenceError(errors.UNKNOWN_BAND % {"band": item.band}, field=f"items[{i}].band")
    wanted = {item.competency_id for item in items}
    framework_of: dict[int, int] = {}
    levels: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)  # framework -> level pk -> (rank, band)
    for pk, framework_id, level_pk, rank, band in Competency.objects.filter(pk__in=wanted).values_list(
        "pk", "framework_id", "framework__levels__pk", "framework__levels__rank", "framework__levels__band"
    ):
        framework_of[pk] = framework_id
        if level_pk is not None:
            levels[framework_id][level_pk] = (rank, band)
    checked: dict[int, _Checked] = {}
    for i, item in enumerate(items):
        framework_id = framework_of.get(item.competency_id)
        if framework_id is None:
            raise EvidenceError(
                errors.UNKNOWN_COMPETENCY % {"ref": f"#{item.competency_id}"}, field=f"items[{i}].competency_id"
            )
        scale = levels[framework_id]
        band = item.band
        if item.level_id is not None:
            if isinstance(item.level_id, bool) or item.level_id not in scale:
                raise EvidenceError(errors.UNKNOWN_LEVEL % {"level": item.level_id}, field=f"items[{i}].level_id")
            observed_band = scale[item.level_id][1]
            if band and band != observed_band:
                raise EvidenceError(errors.LEVEL_OUTSIDE_BAND % {"band": Band(band).label}, field=f"items[{i}].band")
            band = observed_band
        bands = {b for _rank, b in scale.values()}
        if not band:
            band = min(scale.values())[1] if scale else Band.BASIC
        elif band not in bands:
            raise EvidenceError(errors.BAND_NOT_IN_FRAMEWORK % {"band": Band(band).label}, field=f"items[{i}].band")
        checked[i] = _Checked(item.competency_id, framework_id, band, item.level_id)
    return checked


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


def _rows(
    *, person, items, checked, source, source_ref, self_reported, recorded_at, recorded_by, note
) -> list[Evidence]:
    return [
        Evidence(
            person_id=person.pk,
            competency_id=item.competency_id,
            score=float(item.score),
            weight=float(item.weight),
            band=checked[i].band,
            observed_level_id=checked[i].level_id,
            source=source,
            source_ref=source_ref,
            self_reported=bool(self_reported),
            note=note or "",
            recorded_at=recorded_at,
            recorded_by=recorded_by,
        )
        for i, item in enumerate(items)
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
    a weight outside (0, 1], a band or level observed the competency's framework does not have, an unknown
    source, a source reference that names no source of this person (``assessments.sources.registry``), a date
    in the future, or a person who is not active staff. A constant number of queries whatever the
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
    checked = _check_items(items)
    check_refs(source=source, person_id=person.pk, refs=[source_ref])
    _lock_active_person(person)
    created = Evidence.objects.bulk_create(
        _rows(
            person=person,
            items=items,
            checked=checked,
            source=source,
            source_ref=source_ref,
            self_reported=self_reported,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            note=note,
        )
    )
    scores_refresh(
        person_id=person.pk, framework_of={c.competency_id: c.framework_id for c in checked.values()}, now=now
    )
    return created


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


def _unchanged(record: SourceEvidence, old: list[tuple], recorded_at, checked: dict[int, _Checked]) -> bool:
    """The live rows of ``record.source_ref`` already say exactly what ``record`` says (band included)."""
    if not old or any(row[4] != record.source_ref for row in old):
        return False
    have = sorted((row[1], row[5], row[6], row[7], row[2], row[8], row[9]) for row in old)
    want = sorted(
        (
            item.competency_id,
            float(item.score),
            float(item.weight),
            bool(record.self_reported),
            recorded_at,
            checked[i].band,
            checked[i].level_id,
        )
        for i, item in enumerate(record.items)
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
    checked = _check_items(every_item) if every_item else {}
    check_refs(source=source, person_id=person.pk, refs=refs)
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
            "band",
            "observed_level_id",
        )
    )
    old_by_ref: dict[str, list[tuple]] = {ref: [] for ref in refs}
    for row in old:
        old_by_ref[owner[row[4]]].append(row)
    rows: list[Evidence] = []
    spans: dict[str, tuple[int, int]] = {}
    offset = 0
    for record in records:
        # A regrade keeps the moment of the original attempt, so the recency weighting does not change.
        recorded_at = record.recorded_at or min((row[2] for row in old_by_ref[record.source_ref]), default=now)
        if timezone.is_naive(recorded_at):
            recorded_at = timezone.make_aware(recorded_at)
        record_checked = {i: checked[offset + i] for i in range(len(record.items))}
        offset += len(record.items)
        if keep_unchanged and _unchanged(record, old_by_ref[record.source_ref], recorded_at, record_checked):
            old_by_ref[record.source_ref] = []
            spans[record.source_ref] = (len(rows), len(rows))
            continue
        new = _rows(
            person=person,
            items=record.items,
            checked=record_checked,
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
    framework_of = {c.competency_id: c.framework_id for c in checked.values()}
    touched.update({row.competency_id: framework_of[row.competency_id] for row in rows})
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
