"""Learner pages of a quiz (served by ``QuizPage`` routes): landing, start, take/resume, submit, result."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from lms import formatting, policy

from . import presenters, selectors
from .errors import QuizError
from .models import Attempt, AttemptStatus, QuizPage
from .services import attempts as services


def _language(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or "vi").split("-")[0]


def _pages(request, routed: QuizPage) -> tuple[QuizPage, QuizPage, bool]:
    """(original quiz, the page to show, shown-in-the-original?) for a request to any language's quiz page.

    Rules, questions and attempts belong to the original quiz; a translated page gives its title and
    introduction. As for lessons, a learner whose language has no translation reads the original, told so.
    """
    from courses.selectors import canonical_page, page_language, translations_in

    quiz = canonical_page(routed)
    language = _language(request)
    if page_language(routed) == language:
        return quiz, routed, False
    translated = translations_in(QuizPage, [quiz], language).get(quiz.translation_key)
    if translated is not None:
        return quiz, translated, False
    return quiz, quiz, page_language(quiz) != language


def _person_or_none(request):
    if not request.user.is_authenticated:
        return None
    return policy.profile_of(request.user)


def _guard(request, quiz: QuizPage):
    """Signed in, a learner, allowed to take this quiz; otherwise a redirect or a 404."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    person = policy.profile_of(request.user)
    if person is None or not policy.can(request.user, "quizzes.take", quiz):
        raise Http404
    return person, None


def quiz_landing(request, routed: QuizPage):
    quiz, shown, fallback = _pages(request, routed)
    person, redirect = _guard(request, quiz)
    if redirect:
        return redirect
    services.attempts_close_overdue(quiz=quiz, person=person)
    override = services.override_for(quiz=quiz, person=person)
    attempts = list(Attempt.objects.filter(quiz=quiz, person=person).order_by("number"))
    result = selectors.person_results(person=person, quizzes=[quiz])[quiz.pk]
    limit = services.attempt_limit_for(quiz, override)
    refusal = None
    if result.in_progress_id is None:
        try:
            services.check_quiz_open(quiz=quiz, override=override, now=timezone.now())
            if limit is not None and len(attempts) >= limit:
                refusal = _("You have used all %(limit)d attempts allowed for this quiz.") % {"limit": limit}
        except QuizError as exc:
            refusal = str(exc)
    return TemplateResponse(
        request,
        "quizzes/quiz_page.html",
        {
            "page": shown,
            "self": shown,
            "quiz": quiz,
            "fallback": fallback,
            "attempts": attempts,
            "result": result,
            "limit": limit,
            "closes_at": services.closes_at_for(quiz, override),
            "time_limit": (quiz.time_limit_minutes + (override.extra_minutes if override else 0))
            if quiz.time_limit_minutes
            else None,
            "refusal": refusal,
            "can_manage": policy.can(request.user, "quizzes.manage", quiz),
        },
    )


def quiz_preview(request, quiz: QuizPage):
    """The admin's preview: the landing page as a learner would see it before starting."""
    return TemplateResponse(
        request,
        "quizzes/quiz_page.html",
        {
            "page": quiz,
            "self": quiz,
            "quiz": quiz,
            "attempts": [],
            "result": selectors.PersonQuizResult(attempts=0, in_progress_id=None, grade=None, passed=False),
            "limit": quiz.max_attempts or None,
            "closes_at": quiz.closes_at,
            "time_limit": quiz.time_limit_minutes,
            "refusal": _("Preview: learners start the quiz from this page."),
            "can_manage": False,
        },
    )


@require_POST
def quiz_start(request, routed: QuizPage):
    quiz, _shown, _fallback = _pages(request, routed)
    person, redirect = _guard(request, quiz)
    if redirect:
        return redirect
    try:
        attempt, _created = services.attempt_start(person=person, quiz=quiz, language=_language(request))
    except QuizError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(quiz.url)
    return HttpResponseRedirect(quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk]))


def _decorate(question: dict[str, Any], review: dict[str, Any] | None) -> dict[str, Any]:
    """Add what the template needs to show the saved response (and, after submitting, the review)."""
    response = question.get("response")
    kind = question["kind"]
    texts = {c["id"]: c["text"] for c in question.get("choices", [])}
    targets = {t["id"]: t["text"] for t in question.get("targets", [])}
    if kind in ("single", "multiple"):
        picked = set(response or []) if isinstance(response, list) else {response}
        question["choices"] = [{**c, "checked": c["id"] in picked} for c in question["choices"]]
    if kind == "matching":
        given = response or {}
        question["prompts"] = [{**c, "selected": given.get(c["id"])} for c in question["choices"]]
    if kind == "ordering":
        order = response or []
        count = len(question["choices"])
        question["positions"] = list(range(1, count + 1))
        question["items"] = [
            {**c, "position": (order.index(c["id"]) + 1) if c["id"] in order else None} for c in question["choices"]
        ]
    question["response_text"] = _answer_text(kind, response, texts, targets)
    if review is not None:
        question["review"] = review
        if "correct_answer" in review:
            review["answer_text"] = _answer_text(kind, review["correct_answer"], texts, targets, key=True)
        if review.get("feedback"):
            review["choice_feedback"] = [
                texts.get(cid, "") + ": " + text for cid, text in review["feedback"]["choices"].items()
            ]
    return question


def _answer_text(kind: str, value: Any, texts: dict, targets: dict, key: bool = False) -> str:
    if value is None or value == [] or value == {}:
        return "" if key else _("(no answer)")
    if kind == "single":
        return texts.get(value, "")
    if kind == "multiple":
        return "; ".join(texts.get(v, "") for v in value)
    if kind == "true_false":
        return _("True") if value else _("False")
    if kind == "numeric":
        if isinstance(value, dict):
            answer = f"{value['answer']:g}"
            return f"{answer} ± {value['tolerance']:g}" if value["tolerance"] else answer
        return str(value)
    if kind == "short_text":
        return " / ".join(value) if isinstance(value, list) else str(value)
    if kind == "matching":
        return "; ".join(f"{texts.get(p, '')} → {targets.get(t, '')}" for p, t in value.items())
    if kind == "ordering":
        return " → ".join(texts.get(v, "") for v in value)
    return str(value)


def _quiz_messages() -> dict[str, str]:
    """What the attempt page's script says, translated, and the clock it shows times on: the learner's zone,
    the same as the deadline printed on the page."""
    return {
        "saved": _("Saved at"),
        "saving": _("Saving…"),
        "failed": _("Not saved yet — check your connection; we will retry."),
        "confirm": _("Submit your answers now? You cannot change them afterwards."),
        "timeup": _("Time is up: submitting your saved answers."),
        "order": pgettext("ordering", "Use each position exactly once."),
        "five": _("Five minutes left."),
        "one": _("One minute left."),
        "zone": formatting.zone_name(),
        "zone_label": formatting.zone_label(),
        "language": translation.get_language() or "vi",
    }


def quiz_attempt(request, routed: QuizPage, attempt_id: int):
    quiz, shown, _fallback = _pages(request, routed)
    person, redirect = _guard(request, quiz)
    if redirect:
        return redirect
    attempt = get_object_or_404(Attempt.objects.select_related("quiz"), pk=attempt_id, person=person, quiz=quiz)
    if attempt.is_open and services.attempts_close_overdue(quiz=quiz, person=person):
        attempt.refresh_from_db()
    payload = presenters.attempt_payload(attempt)
    reviews = {row["id"]: row for row in (payload["result"] or {}).get("questions", [])}
    submitted = attempt.status == AttemptStatus.SUBMITTED
    questions = [_decorate(q, reviews.get(q["id"]) if submitted else None) for q in payload["questions"]]
    language = _language(request)
    return TemplateResponse(
        request,
        "quizzes/result.html" if submitted else "quizzes/attempt.html",
        {
            "page": shown,
            "self": shown,
            "quiz": quiz,
            # Questions with no translation in the learner's language are shown (and kept) in the original.
            "questions_fallback": any(q.get("language", language) != language for q in questions),
            "attempt": attempt,
            "questions": questions,
            "result": payload["result"],
            "submit_url": quiz.url + quiz.reverse_subpage("attempt_submit", args=[attempt.pk]),
            "quiz_messages": _quiz_messages(),
        },
    )


def _answers_from_form(post, questions: list[dict]) -> dict[str, Any]:
    """The answers of a plain form post (the page works without JavaScript too)."""
    answers: dict[str, Any] = {}
    for q in questions:
        name = f"q-{q['id']}"
        kind = q["kind"]
        if kind == "multiple":
            answers[str(q["id"])] = post.getlist(name)
        elif kind == "matching":
            answers[str(q["id"])] = {c["id"]: post.get(f"{name}-{c['id']}") or None for c in q["choices"]}
        elif kind == "ordering":
            positions = {c["id"]: post.get(f"{name}-{c['id']}") for c in q["choices"]}
            if all(positions.values()) and len(set(positions.values())) == len(positions):
                answers[str(q["id"])] = sorted(positions, key=lambda cid: int(positions[cid]))
        elif name in post:
            value = post.get(name)
            answers[str(q["id"])] = value if value != "" else None
    return answers


@require_POST
def quiz_attempt_submit(request, routed: QuizPage, attempt_id: int):
    """Save the form's answers (no-JavaScript path), then submit, or just save when asked to."""
    quiz, _shown, _fallback = _pages(request, routed)
    person, redirect = _guard(request, quiz)
    if redirect:
        return redirect
    attempt = get_object_or_404(Attempt.objects.select_related("quiz"), pk=attempt_id, person=person, quiz=quiz)
    here = quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk])
    try:
        if attempt.is_open and request.POST.get("from_form"):
            questions = presenters.attempt_payload(attempt)["questions"]
            services.attempt_answers_save(
                attempt_id=attempt.pk, person=person, answers=_answers_from_form(request.POST, questions)
            )
        if request.POST.get("action") == "save":
            messages.success(request, _("Your answers are saved. You can come back and finish later."))
            return HttpResponseRedirect(here)
        services.attempt_submit(attempt_id=attempt.pk, person=person)
    except QuizError as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(here)
