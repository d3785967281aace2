"""Trainer pages in the Wagtail admin: results per quiz, CSV export, regrade, item analysis."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import formatting, policy, spreadsheets

from . import charts, selectors
from .models import QuizPage
from .tasks import quiz_regrade_task


def _quiz_for(request, quiz_id: int) -> QuizPage:
    """The quiz, or the original of a translated quiz page (which holds the attempts)."""
    from courses.selectors import canonical_page

    quiz = canonical_page(get_object_or_404(QuizPage, pk=quiz_id))
    if not policy.can(request.user, "quizzes.manage", quiz):
        raise Http404
    return quiz


def quiz_index(request):
    if not policy.can(request.user, "quizzes.manage_any"):
        raise Http404
    quizzes = [
        q
        for q in selectors.quizzes_with_counts(selectors.originals(QuizPage.objects.all()).order_by("path"))
        if policy.can(request.user, "quizzes.manage", q)
    ]
    return TemplateResponse(request, "quizzes/admin/index.html", {"quizzes": quizzes})


def quiz_results(request, quiz_id: int):
    quiz = _quiz_for(request, quiz_id)
    rows = selectors.quiz_results(quiz=quiz)
    return TemplateResponse(
        request,
        "quizzes/admin/results.html",
        {"quiz": quiz, "rows": rows, "passed": sum(1 for r in rows if r.passed)},
    )


def quiz_results_csv(request, quiz_id: int):
    """The results table of the page, as CSV: its columns, in the reader's language, zone and decimal mark."""
    quiz = _quiz_for(request, quiz_id)
    headers = [
        _("Full name"),
        _("Employee number"),
        _("Unit"),
        _("Attempts"),
        _("Last submitted"),
        _("Score (%)"),
        _("Passed"),
        _("Each attempt (%)"),
    ]
    rows = (
        (
            r.full_name,
            r.employee_number,
            r.unit_code,
            r.attempts,
            r.last_submitted,
            r.grade,
            _("yes") if r.passed else _("no"),
            "; ".join(formatting.format_number(p, 1) for p in r.percents),
        )
        for r in selectors.quiz_results(quiz=quiz)
    )
    return spreadsheets.csv_response(f"quiz-{quiz.pk}-results.csv", headers, rows)


@require_POST
def quiz_regrade(request, quiz_id: int):
    quiz = _quiz_for(request, quiz_id)
    user_id = request.user.pk
    transaction.on_commit(lambda: quiz_regrade_task.delay(quiz.pk, user_id))
    messages.success(
        request,
        _("Regrading “%(title)s” with the current answer keys; scores and competency evidence are updated.")
        % {"title": quiz.title},
    )
    return HttpResponseRedirect(reverse("quizzes_results", args=[quiz.pk]))


def quiz_items(request, quiz_id: int):
    quiz = _quiz_for(request, quiz_id)
    stats, titles = selectors.quiz_item_statistics(quiz=quiz)
    figure = charts.item_analysis_figure(
        stats, titles, labels={"x": _("Facility (share of points scored)"), "y": _("Discrimination (item–rest r)")}
    )
    flag_labels = {
        "too_easy": _("too easy (facility > 0.9)"),
        "too_hard": _("too hard (facility < 0.2)"),
        "low_discrimination": _("low discrimination (< 0.2)"),
    }
    rows = [
        {"n": i + 1, "title": titles.get(s.item, s.item), "stats": s, "flags": [flag_labels[f] for f in s.flags]}
        for i, s in enumerate(stats.items)
    ]
    return TemplateResponse(
        request,
        "quizzes/admin/items.html",
        {"quiz": quiz, "stats": stats, "rows": rows, "figure_json": figure.to_json() if rows else None},
    )
