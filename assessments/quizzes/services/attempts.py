"""The attempt lifecycle: start (draw), save answers, submit (grade), close at the deadline.

Every write is one transaction that locks what it changes, so two tabs or a replayed request
cannot grade an attempt twice, and a refused request writes nothing.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from assessments.scoring import grading
from lms import formatting
from lms.models import StaffProfile

from .. import errors
from ..keys import competencies_of, key_from_snapshot, masks_for, response_from_learner
from ..models import Attempt, AttemptQuestion, AttemptStatus, Question, QuizOverride, QuizPage
from .translations import original_question_ids, original_questions, questions_shown_in
from .versions import question_versions_current, questions_with_content

# Latency allowance after the deadline for answers and submissions already on their way.
GRACE = timedelta(seconds=30)


def _when(moment: datetime) -> str:
    return formatting.format_datetime(moment)


def override_for(*, quiz: QuizPage, person: StaffProfile) -> QuizOverride | None:
    return QuizOverride.objects.filter(quiz=quiz, person=person).first()


def closes_at_for(quiz: QuizPage, override: QuizOverride | None) -> datetime | None:
    if override is not None and override.closes_at is not None:
        return override.closes_at
    return quiz.closes_at


def attempt_limit_for(quiz: QuizPage, override: QuizOverride | None) -> int | None:
    if not quiz.max_attempts:
        return None
    return quiz.max_attempts + (override.extra_attempts if override else 0)


def check_quiz_open(*, quiz: QuizPage, override: QuizOverride | None, now: datetime) -> None:
    if not quiz.live:
        raise errors.QuizClosed(errors.NOT_LIVE)
    if quiz.opens_at and now < quiz.opens_at:
        raise errors.QuizClosed(errors.NOT_OPEN_YET, when=_when(quiz.opens_at))
    closes = closes_at_for(quiz, override)
    if closes and now >= closes:
        raise errors.QuizClosed(errors.CLOSED, when=_when(closes))


# ---- the draw ----


def draw_question_ids(*, quiz: QuizPage, rng: random.Random) -> list[int]:
    """Fixed questions first, then each random draw from what is left; shuffled if the quiz says so.

    Returns original questions only (a translation counts as its original), so a question is never drawn
    twice in two languages; :func:`questions_shown_in` then picks the learner's language.
    """
    slot_ids = list(quiz.slots.order_by("sort_order").values_list("question_id", flat=True))
    originals = original_question_ids(slot_ids)
    chosen: list[int] = list(dict.fromkeys(originals[qid] for qid in slot_ids if qid in originals))
    taken = set(chosen)
    for draw in quiz.draws.order_by("sort_order").select_related("pool"):
        candidates = original_questions(Question.objects.filter(difficulty__gte=draw.min_difficulty))
        if draw.pool_id:
            candidates = candidates.filter(pool_id=draw.pool_id)
        if draw.tag:
            candidates = candidates.filter(tags__name__iexact=draw.tag)
        if draw.per_competency and hasattr(Question, "competency_links"):
            groups: dict[int, list[int]] = {}
            rows = candidates.values_list("pk", "competency_links__competency_id").order_by("pk")
            for qid, competency_id in rows:
                if competency_id is not None:
                    groups.setdefault(competency_id, []).append(qid)
            for competency_id in sorted(groups):
                free = [q for q in groups[competency_id] if q not in taken]
                picked = rng.sample(free, min(draw.count, len(free)))
                chosen.extend(picked)
                taken.update(picked)
            continue
        free = [q for q in candidates.order_by("pk").values_list("pk", flat=True).distinct() if q not in taken]
        picked = rng.sample(free, min(draw.count, len(free)))
        chosen.extend(picked)
        taken.update(picked)
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def _display_orders(snapshot: dict, *, shuffle: bool, rng: random.Random) -> tuple[list[str], list[str]]:
    ids = [c["id"] for c in snapshot.get("choices", [])]
    kind = snapshot["kind"]
    if kind not in (grading.SINGLE, grading.MULTIPLE, grading.MATCHING, grading.ORDERING):
        return [], []
    order = list(ids)
    if shuffle or kind == grading.ORDERING:
        rng.shuffle(order)
        # An ordering question shown in the right order would give the answer away.
        if kind == grading.ORDERING and len(ids) > 1 and order == ids:
            order = order[1:] + order[:1]
    targets: list[str] = []
    if kind == grading.MATCHING:
        targets = list(ids)
        rng.shuffle(targets)
    return order, targets


# ---- start ----


@transaction.atomic
def attempt_start(
    *, person: StaffProfile, quiz: QuizPage, language: str | None = None, now: datetime | None = None
) -> tuple[Attempt, bool]:
    """Start an attempt, or return the one in progress (a second tab resumes rather than starts).

    ``quiz`` is the original quiz page (translations share its rules, questions and attempts). Each question
    drawn is shown in ``language`` when it has a translation there, else in the original; the attempt keeps
    the version shown (``AttemptQuestion.version``) and counts under the original question.
    Returns ``(attempt, created)``. Refuses (nothing written) when the quiz is closed or the limit is used.
    """
    now = now or timezone.now()
    # One start at a time per person: serialises two tabs pressing "start" together.
    StaffProfile.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).get()
    attempts_close_overdue(now=now, quiz=quiz, person=person)
    current = Attempt.objects.filter(quiz=quiz, person=person, status=AttemptStatus.IN_PROGRESS).first()
    if current is not None:
        return current, False
    override = override_for(quiz=quiz, person=person)
    check_quiz_open(quiz=quiz, override=override, now=now)
    used = Attempt.objects.filter(quiz=quiz, person=person).count()
    limit = attempt_limit_for(quiz, override)
    if limit is not None and used >= limit:
        raise errors.AttemptLimitReached(errors.LIMIT, limit=limit)
    rng = random.Random(secrets.randbits(64))  # noqa: S311 - a fair draw, not a secret
    ids = draw_question_ids(quiz=quiz, rng=rng)
    if not ids:
        raise errors.QuizEmpty(errors.EMPTY)
    shown = questions_shown_in(ids, language) if language else {qid: qid for qid in ids}
    versions = question_versions_current(questions=list(questions_with_content(shown.values())))
    limit_delta = quiz.time_limit(override.extra_minutes if override else 0)
    deadline = now + limit_delta if limit_delta else None
    closes = closes_at_for(quiz, override)
    if closes and (deadline is None or closes < deadline):
        deadline = closes
    attempt = Attempt.objects.create(
        quiz=quiz, person=person, number=used + 1, started_at=now, deadline=deadline, status=AttemptStatus.IN_PROGRESS
    )
    items = []
    for position, qid in enumerate(ids, start=1):
        version = versions[shown[qid]]
        choice_order, target_order = _display_orders(version.snapshot, shuffle=quiz.shuffle_choices, rng=rng)
        items.append(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                question_id=qid,
                version=version,
                choice_order=choice_order,
                target_order=target_order,
                max_points=float(version.snapshot.get("points", 1.0)),
            )
        )
    AttemptQuestion.objects.bulk_create(items)
    return attempt, True


# ---- answers ----


def _locked_attempt(*, attempt_id: int, person: StaffProfile) -> Attempt:
    """The person's own attempt, locked; ``Attempt.DoesNotExist`` (→ 404) for anyone else's."""
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz", "person")
        .get(pk=attempt_id, person=person)
    )


def _check_writable(attempt: Attempt, now: datetime) -> None:
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise errors.AttemptFinished(errors.FINISHED)
    if attempt.deadline and now > attempt.deadline + GRACE:
        raise errors.DeadlinePassed(errors.DEADLINE, when=_when(attempt.deadline))


@transaction.atomic
def attempt_answers_save(
    *, attempt_id: int, person: StaffProfile, answers: dict[str, Any], now: datetime | None = None
) -> Attempt:
    """Save some answers (autosave). Idempotent; validates every answer before writing any."""
    now = now or timezone.now()
    attempt = _locked_attempt(attempt_id=attempt_id, person=person)
    _check_writable(attempt, now)
    items = {str(item.pk): item for item in attempt.items.select_related("version")}
    changed = []
    for raw_id, raw in answers.items():
        item = items.get(str(raw_id))
        if item is None:
            raise errors.InvalidAnswer(errors.NOT_IN_ATTEMPT, field=f"answers.{raw_id}", id=raw_id)
        try:
            # Matching targets and ordering items arrive in the learner's opaque ids; stored in real ids.
            response = response_from_learner(item.version.snapshot, masks_for(item), raw)
        except grading.ResponseError as exc:
            raise errors.InvalidAnswer(
                errors.BAD_ANSWER, field=f"answers.{raw_id}", id=raw_id, reason=errors.reason_for(exc)
            )
        if response != item.response:
            item.response = response
            item.answered_at = now
            changed.append(item)
    if changed:
        AttemptQuestion.objects.bulk_update(changed, ["response", "answered_at"])
    return attempt


# ---- grading ----


def _grade_items(items: list[AttemptQuestion], keys_from: dict[int, Any] | None = None) -> list[grading.QuestionResult]:
    """Grade each item against its own version (or ``keys_from[id of the question shown]``, a newer version of
    that question, for regrades: a translation is graded with its own key, whose choices are its own)."""
    results = []
    for item in items:
        version = (keys_from or {}).get(item.version.question_id) or item.version
        snap = version.snapshot
        key = key_from_snapshot(snap)
        try:
            response = grading.parse_response(key, item.response)
        except grading.ResponseError:
            response = None  # a key fix removed a choice the learner had picked: that part earns nothing
        graded = grading.grade(key, response)
        item.points = graded.points
        item.max_points = graded.max_points
        item.graded_version = version
        results.append(
            grading.QuestionResult(graded=graded, competencies=competencies_of(snap), band=snap.get("band") or "")
        )
    return results


def quiz_band(quiz: QuizPage) -> str:
    """The band a quiz's questions assess unless they name their own: the quiz's, else its course's level."""
    if quiz.band:
        return quiz.band
    from assessments.models import band_for_course_level
    from courses.models import CoursePage

    level = CoursePage.objects.filter(path=quiz.path[: -QuizPage.steplen]).values_list("level", flat=True).first()
    return band_for_course_level(level or "")


def _evidence_items(score: grading.AttemptScore):
    from assessments.services.evidence import EvidenceItem

    return [
        EvidenceItem(competency_id=cid, score=value, weight=weight, band=band)
        for (cid, band), (value, weight) in sorted(score.bands.items())
    ]


def _emit_evidence(attempt: Attempt, score: grading.AttemptScore, *, supersede: bool, recorded_by=None) -> None:
    from assessments.errors import EvidenceError
    from assessments.services.evidence import evidence_record, evidence_supersede

    items = _evidence_items(score)
    try:
        if supersede:
            evidence_supersede(
                source_ref=attempt.source_ref,
                person=attempt.person,
                items=items,
                source="quiz",
                recorded_by=recorded_by,
                note=f"regrade of {attempt.quiz.title}",
            )
        elif items:
            evidence_record(
                person=attempt.person,
                items=items,
                source="quiz",
                source_ref=attempt.source_ref,
                recorded_at=attempt.submitted_at,
                note=attempt.quiz.title,
            )
    except EvidenceError as exc:
        if getattr(exc, "code", "") != "inactive":
            raise


def _refresh_completion(attempt: Attempt) -> None:
    from courses.models import CoursePage
    from courses.services.progress import course_completion_refresh

    course = CoursePage.objects.filter(path=attempt.quiz.path[: -QuizPage.steplen]).first()
    if course is not None:
        course_completion_refresh(person=attempt.person, course=course)


def _store_points(attempt_id: int, items: list[AttemptQuestion]) -> None:
    """One UPDATE for every item of the attempt (graded with the version shown). Django's ``bulk_update``
    builds a CASE expression per field and item in Python, which costs more than the grading itself."""
    if not items:
        return
    table = AttemptQuestion._meta.db_table
    cases = " ".join("WHEN %s THEN %s" for _ in items)
    params: list = []
    for item in items:
        params += [item.pk, item.points]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET points = CASE id {cases} END, graded_version_id = version_id "  # noqa: S608
            "WHERE attempt_id = %s",
            [*params, attempt_id],
        )


def _finish(attempt: Attempt, *, submitted_at: datetime, auto: bool) -> Attempt:
    items = list(attempt.items.select_related("version"))
    score = grading.attempt_score(
        _grade_items(items), pass_mark=attempt.quiz.pass_mark, default_band=quiz_band(attempt.quiz)
    )
    claimed = Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS).update(
        status=AttemptStatus.SUBMITTED,
        submitted_at=submitted_at,
        auto_submitted=auto,
        points=score.points,
        max_points=score.max_points,
        percent=score.percent,
        passed=score.passed,
    )
    if not claimed:  # graded meanwhile by another request: exactly one effect
        attempt.refresh_from_db()
        return attempt
    _store_points(attempt.pk, items)
    attempt.status, attempt.submitted_at, attempt.auto_submitted = AttemptStatus.SUBMITTED, submitted_at, auto
    attempt.points, attempt.max_points, attempt.percent, attempt.passed = (
        score.points,
        score.max_points,
        score.percent,
        score.passed,
    )
    _emit_evidence(attempt, score, supersede=False)
    _refresh_completion(attempt)
    return attempt


@transaction.atomic
def attempt_submit(*, attempt_id: int, person: StaffProfile, now: datetime | None = None) -> tuple[Attempt, bool]:
    """Grade and close the attempt. Returns ``(attempt, newly_submitted)``; a repeat returns the same result."""
    now = now or timezone.now()
    attempt = _locked_attempt(attempt_id=attempt_id, person=person)
    if attempt.status == AttemptStatus.SUBMITTED:
        return attempt, False
    if attempt.deadline and now > attempt.deadline + GRACE:
        raise errors.DeadlinePassed(errors.DEADLINE, when=_when(attempt.deadline))
    return _finish(attempt, submitted_at=min(now, attempt.deadline) if attempt.deadline else now, auto=False), True


def attempts_close_overdue(*, now: datetime | None = None, quiz: QuizPage | None = None, person=None) -> int:
    """Grade every attempt whose deadline (plus grace) has passed with the answers saved by then."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__lt=now - GRACE)
    if quiz is not None:
        overdue = overdue.filter(quiz=quiz)
    if person is not None:
        overdue = overdue.filter(person=person)
    closed = 0
    for attempt_id in list(overdue.values_list("pk", flat=True)):
        with transaction.atomic():
            attempt = (
                Attempt.objects.select_for_update(of=("self",))
                .select_related("quiz", "person")
                .filter(pk=attempt_id)
                .first()
            )
            if attempt is None or attempt.status != AttemptStatus.IN_PROGRESS:
                continue
            _finish(attempt, submitted_at=attempt.deadline, auto=True)
            closed += 1
    return closed


# ---- regrade ----


@transaction.atomic
def quiz_regrade(*, quiz: QuizPage, by=None, now: datetime | None = None) -> int:
    """Re-grade every submitted attempt with the questions' current keys; supersede the evidence they made.

    Learners keep the version they saw (stem and choices); only the key comes from the current version,
    and only where the question kept its type. Returns the number of attempts whose score changed.
    """
    now = now or timezone.now()
    attempts = list(
        Attempt.objects.select_for_update(of=("self",))
        .filter(quiz=quiz, status=AttemptStatus.SUBMITTED)
        .select_related("person", "quiz")
        .order_by("pk")
    )
    if not attempts:
        return 0
    question_ids = set(
        AttemptQuestion.objects.filter(attempt__in=attempts).values_list("version__question_id", flat=True).distinct()
    )
    current = question_versions_current(questions=list(questions_with_content(question_ids)))
    items_by_attempt: dict[int, list[AttemptQuestion]] = {}
    for item in AttemptQuestion.objects.filter(attempt__in=attempts).select_related("version").order_by("position"):
        items_by_attempt.setdefault(item.attempt_id, []).append(item)
    changed = 0
    changed_ids: set[int] = set()
    all_items = []
    band = quiz_band(quiz)
    for attempt in attempts:
        items = items_by_attempt.get(attempt.pk, [])
        keys_from = {
            qid: version
            for qid, version in current.items()
            if any(i.version.question_id == qid and i.version.kind == version.kind for i in items)
        }
        score = grading.attempt_score(_grade_items(items, keys_from), pass_mark=quiz.pass_mark, default_band=band)
        all_items.extend(items)
        if (score.points, score.max_points, score.passed) != (attempt.points, attempt.max_points, attempt.passed):
            changed += 1
            changed_ids.add(attempt.pk)
        attempt.points, attempt.max_points, attempt.percent, attempt.passed = (
            score.points,
            score.max_points,
            score.percent,
            score.passed,
        )
        attempt.regraded_at = now
        _emit_evidence(attempt, score, supersede=True, recorded_by=by)
    AttemptQuestion.objects.bulk_update(all_items, ["points", "max_points", "graded_version"], batch_size=500)
    Attempt.objects.bulk_update(attempts, ["points", "max_points", "percent", "passed", "regraded_at"], batch_size=500)
    refreshed: set[int] = set()
    for attempt in attempts:
        if attempt.person_id not in refreshed:
            refreshed.add(attempt.person_id)
            _refresh_completion(attempt)
    _audit_regrade(quiz=quiz, by=by, attempts=attempts, changed_ids=changed_ids)
    return changed


def _audit_regrade(*, quiz: QuizPage, by, attempts: list[Attempt], changed_ids: set[int]) -> None:
    """A regrade changes scores and evidence: one audit entry per unit whose people it touched, so the HR
    of each unit see it, with the quiz, the attempts regraded and those whose score changed."""
    from reports.services.audit import audit_record

    per_unit: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        per_unit.setdefault(attempt.person.unit_id, []).append(attempt)
    from lms.models import Unit

    units = Unit.objects.in_bulk(list(per_unit))
    for unit_id, regraded in sorted(per_unit.items()):
        audit_record(
            actor=by,
            action="quiz.regrade",
            target=quiz,
            params={
                "quiz": quiz.title,
                "attempts": len(regraded),
                "changed": sorted(a.pk for a in regraded if a.pk in changed_ids),
            },
            unit=units.get(unit_id),
        )


def attempts_per_person(*, quiz: QuizPage) -> dict[int, int]:
    return dict(Attempt.objects.filter(quiz=quiz).values_list("person_id").annotate(n=Count("pk")))
