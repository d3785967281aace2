"""Question versions: snapshot a question; edit in place until someone has seen it, then version it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch

from ..models import Question, QuestionChoice, QuestionVersion
from ..models.attempts import AttemptQuestion


def question_snapshot(question: Question) -> dict:
    """Plain data for one question; uses prefetched ``choices`` (and competency links when present)."""
    choices = sorted(question.choices.all(), key=lambda c: (c.sort_order or 0, c.pk or 0))
    links = getattr(question, "competency_links", None)
    competencies = {str(link.competency_id): float(link.weight) for link in links.all()} if links is not None else {}
    snapshot = {
        "kind": question.kind,
        "stem": question.stem,
        "language": question.language,
        "points": float(question.points),
        "feedback": question.general_feedback,
        "partial": bool(question.partial_credit),
        "choices": [
            {
                "id": str(c.pk),
                "text": c.text,
                "match": c.match_text,
                "feedback": c.feedback,
                "correct": bool(c.is_correct),
            }
            for c in choices
        ],
        "true_false": question.true_false_answer,
        "numeric": {"answer": question.numeric_answer, "tolerance": question.numeric_tolerance},
        "accepted": question.accepted_list(),
        "accent_insensitive": bool(question.accent_insensitive),
        "competencies": competencies,
    }
    if question.band:  # kept out when empty (the quiz's band applies), so older snapshots keep their hash
        snapshot["band"] = question.band
    return snapshot


def _hash(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def questions_with_content(ids: Iterable[int]):
    prefetch = [Prefetch("choices", queryset=QuestionChoice.objects.order_by("sort_order", "pk"))]
    if hasattr(Question, "competency_links"):
        prefetch.append("competency_links")
    return (
        Question.objects.filter(pk__in=list(ids))
        .select_related("current_version", "locale")
        .prefetch_related(*prefetch)
    )


@transaction.atomic
def question_versions_current(*, questions: list[Question]) -> dict[int, QuestionVersion]:
    """The current version of each question, making or refreshing versions whose content changed.

    A changed question whose current version has never been shown in an attempt is updated in place;
    otherwise a new version is made, so attempts keep pointing at what the learner saw. Questions must
    come from :func:`questions_with_content` (choices prefetched).
    """
    result: dict[int, QuestionVersion] = {}
    stale: list[tuple[Question, dict, str]] = []
    for q in questions:
        snap = question_snapshot(q)
        digest = _hash(snap)
        if q.current_version is not None and q.current_version.content_hash == digest:
            result[q.pk] = q.current_version
        else:
            stale.append((q, snap, digest))
    if not stale:
        return result
    # The latest version from the database (the in-memory pointer may be stale after a plain save()).
    latest: dict[int, QuestionVersion] = {}
    for version in QuestionVersion.objects.filter(question_id__in=[q.pk for q, _s, _d in stale]).order_by("number"):
        latest[version.question_id] = version
    seen = set(
        AttemptQuestion.objects.filter(version_id__in=[v.pk for v in latest.values()]).values_list(
            "version_id", flat=True
        )
    )
    # Other apps that pin a version (a placement test's served items, its item parameters) keep it too.
    for relation in QuestionVersion._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label != "quizzes" and relation.field.name == "version":
            seen |= set(
                model._default_manager.filter(version_id__in=[v.pk for v in latest.values()]).values_list(
                    "version_id", flat=True
                )
            )
    for q, snap, digest in stale:
        version = latest.get(q.pk)
        if version is not None and version.content_hash == digest:
            pass
        elif version is not None and version.pk not in seen:
            version.snapshot, version.content_hash, version.kind = snap, digest, q.kind
            version.save(update_fields=["snapshot", "content_hash", "kind"])
        else:
            number = (version.number if version else 0) + 1
            version = QuestionVersion.objects.create(
                question=q, number=number, kind=q.kind, snapshot=snap, content_hash=digest
            )
        if q.current_version_id != version.pk:
            Question.objects.filter(pk=q.pk).update(current_version=version)
            q.current_version = version
        result[q.pk] = version
    return result


def question_version_refresh(*, question: Question) -> QuestionVersion:
    """After an edit in the admin: bring the question's current version up to date."""
    fresh = questions_with_content([question.pk]).get()
    return question_versions_current(questions=[fresh])[fresh.pk]
