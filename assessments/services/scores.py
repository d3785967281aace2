"""Current competency scores and monthly snapshots, derived from live evidence.

``scores_refresh`` is the incremental path (called inside the evidence services' transaction);
``scores_recompute`` rebuilds from scratch, streaming people in chunks, and reports drift;
``snapshots_take`` freezes the current scores as a month's point of the history.
Both paths call the same pure function (``assessments.scoring.competency.compute``).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from lms.models import StaffProfile

from ..models import Competency, CompetencyScore, CompetencyScoreSnapshot, Evidence, ProficiencyLevel
from ..scoring.competency import CompetencyResult, EvidencePoint, Level, ScoringPolicy, compute
from ..scoring.levels import band_caps

EVIDENCE_COLUMNS = (
    "person_id",
    "competency_id",
    "score",
    "weight",
    "recorded_at",
    "self_reported",
    "band",
    "observed_level_id",
)
# Two scores closer than this are the same score (floating-point noise, not drift).
TOLERANCE = 1e-9
# Confidence fades with time; the nightly run rewrites a row only once it moved by half a percentage point.
CONFIDENCE_STEP = 0.005


def _batched(iterable, size: int):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def scoring_policy() -> ScoringPolicy:
    """The scoring parameters from settings (``HOCSO_COMPETENCY_SCORING``), defaults otherwise."""
    return ScoringPolicy(**getattr(settings, "HOCSO_COMPETENCY_SCORING", {}))


class Scale(NamedTuple):
    """A framework's levels, with the cap each band (its top rank) and each level observed (its rank) gives."""

    levels: list[Level]
    band_cap: dict[str, int]
    level_rank: dict[int, int]
    validity_months: int | None = None

    def cap(self, band: str, observed_level_id: int | None) -> int:
        if observed_level_id is not None and observed_level_id in self.level_rank:
            return self.level_rank[observed_level_id]
        # A band the scale lacks (the scale was edited since) supports only the lowest level.
        return self.band_cap.get(band, min(self.level_rank.values(), default=0))


def levels_by_framework(framework_ids: Iterable[int]) -> dict[int, Scale]:
    rows: dict[int, list[tuple]] = defaultdict(list)
    validity: dict[int, int] = {}
    for *row, months in ProficiencyLevel.objects.filter(framework_id__in=set(framework_ids)).values_list(
        "pk", "framework_id", "min_score", "rank", "band", "framework__validity_months"
    ):
        rows[row[1]].append(tuple(row))
        validity[row[1]] = months
    scales: dict[int, Scale] = defaultdict(lambda: Scale([], {}, {}))
    for framework_id, levels in rows.items():
        scales[framework_id] = Scale(
            levels=[Level(key=pk, min_score=min_score, rank=rank) for pk, _f, min_score, rank, _b in levels],
            band_cap=band_caps((rank, band) for _pk, _f, _m, rank, band in levels),
            level_rank={pk: rank for pk, _f, _m, rank, _b in levels},
            validity_months=validity[framework_id],
        )
    return scales


def _compute(points, *, now: datetime, scale: Scale, policy: ScoringPolicy) -> CompetencyResult:
    """``compute`` with the framework's scale and validity."""
    return compute(points, now=now, levels=scale.levels, policy=policy, validity_months=scale.validity_months)


def _point(row, scale: Scale) -> EvidencePoint:
    return EvidencePoint(
        score=row[2], weight=row[3], recorded_at=row[4], self_reported=row[5], cap=scale.cap(row[6], row[7])
    )


class ScoreRow(NamedTuple):
    """The values of one ``CompetencyScore`` row, without the cost of a model instance."""

    person_id: int
    competency_id: int
    score: float
    level_id: int | None
    evidence_count: int
    effective_weight: float
    confidence: float
    last_evidence_at: datetime | None
    computed_at: datetime
    level_evidence_at: datetime | None = None
    due_level_id: int | None = None


def _score_row(person_id: int, competency_id: int, result: CompetencyResult, now: datetime) -> ScoreRow:
    return ScoreRow(
        person_id,
        competency_id,
        result.score,
        result.level,
        result.evidence_count,
        result.effective_weight,
        result.confidence,
        result.last_evidence_at,
        now,
        result.level_evidence_at,
        result.due_level,
    )


_UPSERT_COLUMNS = (
    "person_id",
    "competency_id",
    "score",
    "level_id",
    "evidence_count",
    "effective_weight",
    "confidence",
    "last_evidence_at",
    "computed_at",
    "updated_at",
    "level_evidence_at",
    "due_level_id",
)


def _upsert(rows: list[ScoreRow]) -> None:
    """Insert or update score rows in one statement per batch (INSERT … ON CONFLICT, PostgreSQL and SQLite).

    Plain SQL rather than ``bulk_create``: building 200,000 model instances and compiling them took
    longer than the database took to write them (see bench/results/competency_recompute.md).
    """
    if not rows:
        return
    table = connection.ops.quote_name(CompetencyScore._meta.db_table)
    columns = ", ".join(_UPSERT_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in _UPSERT_COLUMNS[2:])
    # Only constant identifiers are interpolated; every value goes through parameters.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_UPSERT_COLUMNS))}) "  # noqa: S608
        f"ON CONFLICT (person_id, competency_id) DO UPDATE SET {updates}"
    )
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(timezone.now())
    params = [
        (
            *row[:7],
            adapt(row.last_evidence_at) if row.last_evidence_at else None,
            adapt(row.computed_at),
            stamp,
            adapt(row.level_evidence_at) if row.level_evidence_at else None,
            row.due_level_id,
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])


def scores_refresh(*, person_id: int, framework_of: dict[int, int], now: datetime) -> None:
    """Recompute one person's scores for some competencies (``{competency_id: framework_id}``).

    Three queries (evidence, levels, upsert), plus one delete when a competency lost all its evidence.
    Must run inside the caller's transaction, after the person's row was locked.
    """
    if not framework_of:
        return
    points: dict[int, list[EvidencePoint]] = defaultdict(list)
    rows = (
        Evidence.objects.live()
        .filter(person_id=person_id, competency_id__in=list(framework_of))
        .values_list(*EVIDENCE_COLUMNS)
    )
    levels = levels_by_framework(set(framework_of.values()))
    for row in rows:
        points[row[1]].append(_point(row, levels[framework_of[row[1]]]))
    policy = scoring_policy()
    upserts = [
        _score_row(person_id, cid, _compute(pts, now=now, scale=levels[framework_of[cid]], policy=policy), now)
        for cid, pts in points.items()
    ]
    _upsert(upserts)
    emptied = set(framework_of) - set(points)
    if emptied:
        CompetencyScore.objects.filter(person_id=person_id, competency_id__in=emptied).delete()


@dataclass
class RecomputeReport:
    people: int = 0
    evidence_rows: int = 0
    scores_checked: int = 0
    scores_written: int = 0
    refreshed: int = 0
    created: int = 0
    changed: int = 0
    deleted: int = 0
    snapshots_written: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def drift(self) -> int:
        """Rows the incremental path had wrong: missing, different, or left over without evidence."""
        return self.created + self.changed + self.deleted

    def note(self, text: str) -> None:
        if len(self.examples) < 20:
            self.examples.append(text)


def _differs(old: tuple, new: ScoreRow) -> bool:
    score, level_id, count, _confidence, _computed_at = old
    return abs(score - new.score) > TOLERANCE or level_id != new.level_id or count != new.evidence_count


def _aged(old: tuple, points, levels, policy) -> bool:
    """True when the stored row was right when it was computed and only time has moved the level since
    (confidence fades as evidence ages): a refresh, not drift."""
    score, level_id, count, _confidence, computed_at = old
    if computed_at is None:
        return False
    then = _compute(points, now=computed_at, scale=levels, policy=policy)
    return abs(score - then.score) <= TOLERANCE and level_id == then.level and count == then.evidence_count


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_end_moment(month: date) -> datetime:
    """The first instant after ``month`` (local time): evidence strictly before it counts for that month."""
    return timezone.make_aware(datetime.combine(add_months(month, 1), time.min))


def scores_recompute(
    *,
    person_ids: list[int] | None = None,
    framework_code: str | None = None,
    now: datetime | None = None,
    chunk_size: int = 500,
    history_months: int = 0,
    progress: Callable[[int], None] | None = None,
) -> RecomputeReport:
    """Rebuild current scores (and optionally the last ``history_months`` monthly snapshots) from evidence.

    Streams people in chunks of ``chunk_size``: memory holds one chunk's evidence, never the table.
    Each chunk is its own transaction. ``progress(n)`` is called with the number of people done per chunk.
    """
    now = now or timezone.now()
    report = RecomputeReport()
    competencies = Competency.objects.all()
    if framework_code:
        competencies = competencies.filter(framework__code=framework_code)
    framework_of = dict(competencies.values_list("pk", "framework_id"))
    levels = levels_by_framework(set(framework_of.values()))
    policy = scoring_policy()
    people = StaffProfile.objects.order_by("pk")
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    all_ids = list(people.values_list("pk", flat=True))
    months = []
    if history_months:
        current = month_start(timezone.localdate(now))
        months = [add_months(current, -i) for i in range(history_months - 1, -1, -1)]
    for start in range(0, len(all_ids), chunk_size):
        chunk = all_ids[start : start + chunk_size]
        with transaction.atomic():
            _recompute_chunk(
                chunk,
                competency_ids=list(framework_of) if framework_code else None,
                framework_of=framework_of,
                levels=levels,
                policy=policy,
                now=now,
                months=months,
                report=report,
            )
        report.people += len(chunk)
        if progress is not None:
            progress(len(chunk))
    from reports.services.freshness import dashboard_data_changed

    dashboard_data_changed()
    return report


def _recompute_chunk(chunk, *, competency_ids, framework_of, levels, policy, now, months, report) -> None:
    # Same lock as the evidence services take: evidence recorded for these people waits for this chunk,
    # so a score written here is never older than the evidence committed before it.
    # In pk order (two recomputes cannot deadlock), on the profile rows only (not their units).
    list(
        StaffProfile.objects.select_for_update(of=("self",))
        .filter(pk__in=chunk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    existing_qs = CompetencyScore.objects.filter(person_id__in=chunk)
    evidence_qs = Evidence.objects.live().filter(person_id__in=chunk)
    if competency_ids is not None:
        existing_qs = existing_qs.filter(competency_id__in=competency_ids)
        evidence_qs = evidence_qs.filter(competency_id__in=competency_ids)
    existing = {
        (p, c): (s, lv, n, conf, at)
        for p, c, s, lv, n, conf, at in existing_qs.values_list(
            "person_id", "competency_id", "score", "level_id", "evidence_count", "confidence", "computed_at"
        )
    }
    rows = evidence_qs.order_by("person_id", "competency_id", "recorded_at").values_list(*EVIDENCE_COLUMNS)
    upserts: list[ScoreRow] = []
    snapshots: list[CompetencyScoreSnapshot] = []
    seen = set()
    for (person_id, competency_id), group in itertools.groupby(rows.iterator(chunk_size=5000), key=lambda r: r[:2]):
        scale = levels[framework_of[competency_id]]
        points = [_point(row, scale) for row in group]
        report.evidence_rows += len(points)
        new = _score_row(person_id, competency_id, _compute(points, now=now, scale=scale, policy=policy), now)
        key = (person_id, competency_id)
        seen.add(key)
        report.scores_checked += 1
        old = existing.get(key)
        if old is None:
            report.created += 1
            report.note(f"person {person_id} competency {competency_id}: missing score created ({new.score:.4f})")
        elif _differs(old, new):
            if _aged(old, points, scale, policy):
                report.refreshed += 1  # right when written; time alone moved the level (faded or due)
            else:
                report.changed += 1
                report.note(
                    f"person {person_id} competency {competency_id}: {old[0]:.4f}/{old[1]}/{old[2]} → "
                    f"{new.score:.4f}/{new.level_id}/{new.evidence_count}"
                )
        elif abs(old[3] - new.confidence) < CONFIDENCE_STEP:
            new = None  # nothing a reader would see has changed: leave the row alone
        else:
            report.refreshed += 1
        if new is not None:
            upserts.append(new)
        for month in months:
            snapshot = _history_point(person_id, competency_id, points, month, now, scale, policy)
            if snapshot is not None:
                snapshots.append(snapshot)
    stale = [key for key in existing if key not in seen]
    if stale:
        report.deleted += len(stale)
        for p, c in stale[:5]:
            report.note(f"person {p} competency {c}: score without live evidence removed")
        by_person: dict[int, list[int]] = defaultdict(list)
        for p, c in stale:
            by_person[p].append(c)
        for p, cs in by_person.items():
            CompetencyScore.objects.filter(person_id=p, competency_id__in=cs).delete()
    _upsert(upserts)
    report.scores_written += len(upserts)
    if months:
        old_snapshots = CompetencyScoreSnapshot.objects.filter(person_id__in=chunk, month__gte=months[0])
        if competency_ids is not None:
            old_snapshots = old_snapshots.filter(competency_id__in=competency_ids)
        old_snapshots.delete()
        CompetencyScoreSnapshot.objects.bulk_create(snapshots, batch_size=1000)
        report.snapshots_written += len(snapshots)


def _history_point(person_id, competency_id, points, month, now, levels, policy) -> CompetencyScoreSnapshot | None:
    """The score as it stood at the end of ``month`` (or now, for the current month)."""
    as_of = min(month_end_moment(month), now)
    before = [p for p in points if p.recorded_at < as_of]
    if not before:
        return None
    result = _compute(before, now=as_of, scale=levels, policy=policy)
    return CompetencyScoreSnapshot(
        person_id=person_id,
        competency_id=competency_id,
        month=month,
        score=result.score,
        level_id=result.level,
        evidence_count=result.evidence_count,
        confidence=result.confidence,
        taken_at=now,
    )


def snapshots_take(*, month: date | None = None, now: datetime | None = None, chunk_size: int = 5000) -> int:
    """Freeze the current scores as the snapshot of ``month`` (default: this month); repeatable.

    Run nightly, so the current month's point follows the latest scores and freezes when the month ends.
    Returns the number of snapshot rows written.
    """
    now = now or timezone.now()
    month = month_start(month or timezone.localdate(now))
    written = 0
    with transaction.atomic():
        CompetencyScoreSnapshot.objects.filter(month=month).delete()
        rows = CompetencyScore.objects.order_by("pk").values_list(
            "person_id", "competency_id", "score", "level_id", "evidence_count", "confidence"
        )
        for batch in _batched(rows.iterator(chunk_size=chunk_size), chunk_size):
            CompetencyScoreSnapshot.objects.bulk_create(
                [
                    CompetencyScoreSnapshot(
                        person_id=p,
                        competency_id=c,
                        month=month,
                        score=s,
                        level_id=lv,
                        evidence_count=n,
                        confidence=conf,
                        taken_at=now,
                    )
                    for p, c, s, lv, n, conf in batch
                ]
            )
            written += len(batch)
        from reports.services.freshness import dashboard_data_changed

        dashboard_data_changed()
    return written
