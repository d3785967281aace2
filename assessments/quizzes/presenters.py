"""Attempts as plain dicts for the API and the templates, filtered by what the learner may see now."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from wagtail.rich_text import expand_db_html

from . import keys
from .models import Attempt, AttemptQuestion, AttemptStatus, ReviewLevel


def attempt_items(attempt: Attempt) -> list[AttemptQuestion]:
    return list(attempt.items.select_related("version", "graded_version").order_by("position"))


def question_payload(item: AttemptQuestion) -> dict[str, Any]:
    view = keys.learner_view(item.version.snapshot, choice_order=item.choice_order, target_order=item.target_order)
    view["stem"] = expand_db_html(view["stem"])
    response = keys.to_learner(keys.masks_for(item), item.response)
    return {"id": item.pk, "position": item.position, "response": response, **view}


def answers_final(attempt: Attempt, now=None) -> bool:
    """True once the person has no attempt left at this quiz or the quiz has closed for them."""
    from .services.attempts import attempt_limit_for, closes_at_for, override_for

    quiz = attempt.quiz
    now = now or timezone.now()
    override = override_for(quiz=quiz, person=attempt.person)
    closes = closes_at_for(quiz, override)
    if closes is not None and now >= closes:
        return True
    limit = attempt_limit_for(quiz, override)
    return limit is not None and Attempt.objects.filter(quiz=quiz, person_id=attempt.person_id).count() >= limit


def review_payload(attempt: Attempt, items: list[AttemptQuestion]) -> dict[str, Any] | None:
    """``None`` before submission: no key, no feedback, no per-question result leaves the server early."""
    if attempt.status != AttemptStatus.SUBMITTED:
        return None
    level = attempt.quiz.review
    result: dict[str, Any] = {
        "points": attempt.points,
        "max_points": attempt.max_points,
        "percent": attempt.percent,
        "passed": bool(attempt.passed),
        "pass_mark": attempt.quiz.pass_mark,
        "review": ReviewLevel(level).name.lower(),  # score, correctness, answers or feedback
        "questions": [],
    }
    if level < ReviewLevel.CORRECTNESS:
        return result
    # The key (and the general feedback, which usually explains it) waits until this person cannot try again:
    # a next attempt may draw the same questions. Feedback on their own choices is shown at once.
    final = level >= ReviewLevel.ANSWERS and answers_final(attempt)
    if level >= ReviewLevel.ANSWERS:
        result["answers_withheld"] = not final
    for item in items:
        snap = (item.graded_version or item.version).snapshot
        row: dict[str, Any] = {
            "id": item.pk,
            "points": item.points,
            "max_points": item.max_points,
            "correct": item.points is not None and item.max_points > 0 and abs(item.points - item.max_points) < 1e-9,
        }
        masks = keys.masks_for(item)
        if final:
            row["correct_answer"] = keys.to_learner(masks, keys.correct_answer(snap))
        if level >= ReviewLevel.FEEDBACK:
            feedback = keys.feedback_for(snap, item.response)
            row["feedback"] = {
                "general": expand_db_html(feedback["general"]) if feedback["general"] and final else "",
                "choices": {masks.choice(cid): text for cid, text in feedback["choices"].items()},
            }
        result["questions"].append(row)
    return result


def attempt_payload(attempt: Attempt, items: list[AttemptQuestion] | None = None) -> dict[str, Any]:
    items = attempt_items(attempt) if items is None else items
    return {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "quiz_title": attempt.quiz.title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "auto_submitted": attempt.auto_submitted,
        "server_time": timezone.now(),
        "questions": [question_payload(item) for item in items],
        "result": review_payload(attempt, items),
    }
