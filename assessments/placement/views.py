"""The officer's placement pages: the test list, one item at a time, the result. Thin: parse, authorise, call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.rich_text import expand_db_html

from assessments.quizzes import keys
from lms import policy

from . import selectors
from .errors import PlacementError
from .models import DiagnosticForm, DiagnosticSession, FormStatus
from .services.sessions import current_item, session_answer, session_progress, session_start


def _person(request):
    person = policy.profile_of(request.user)
    if person is None or not policy.can(request.user, "placement.take", None):
        raise Http404
    return person


@require_GET
@login_required
def my_placement(request):
    person = _person(request)
    rows = selectors.forms_for_person(person, now=timezone.now())
    return render(request, "placement/index.html", {"rows": rows, "NAV_SECTION": "competencies"})


@require_POST
@login_required
def placement_start(request, form_id: int):
    person = _person(request)
    form = get_object_or_404(DiagnosticForm, pk=form_id, status=FormStatus.PUBLISHED)
    try:
        session, _created = session_start(person=person, form=form)
    except PlacementError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("placement:index"))
    return HttpResponseRedirect(reverse("placement:session", args=[session.pk]))


def _question(item) -> dict[str, Any]:
    """The current item as the learner may see it: no key, no parameters, choices in the item's order."""
    view = keys.learner_view(item.version.snapshot, choice_order=item.choice_order, target_order=item.target_order)
    view["stem"] = expand_db_html(view["stem"])
    if view["kind"] == "matching":
        view["prompts"] = view["choices"]
    if view["kind"] == "ordering":
        view["items"] = view["choices"]
        view["positions"] = list(range(1, len(view["choices"]) + 1))
    return view


def _raw_answer(post, question: dict[str, Any]) -> Any:
    """The answer of the plain form post (works without JavaScript)."""
    kind = question["kind"]
    if kind == "multiple":
        return post.getlist("answer")
    if kind == "matching":
        return {c["id"]: post.get(f"answer-{c['id']}") or None for c in question["choices"]}
    if kind == "ordering":
        positions = {c["id"]: post.get(f"answer-{c['id']}") for c in question["choices"]}
        if all(positions.values()) and len(set(positions.values())) == len(positions):
            try:
                return sorted(positions, key=lambda cid: int(positions[cid]))
            except (TypeError, ValueError):
                return None
        return None
    value = post.get("answer")
    return value if value not in (None, "") else None


@login_required
def placement_session(request, session_id: int):
    person = _person(request)
    session = get_object_or_404(DiagnosticSession.objects.select_related("form"), pk=session_id, person=person)
    here = reverse("placement:session", args=[session.pk])
    if not session.is_open:
        return HttpResponseRedirect(reverse("placement:result", args=[session.pk]))
    item = current_item(session)
    if item is None:
        raise Http404
    question = _question(item)
    if request.method == "POST":
        try:
            position = int(request.POST.get("position", ""))
        except ValueError:
            position = -1
        try:
            session = session_answer(
                session_id=session.pk, person=person, position=position, raw=_raw_answer(request.POST, question)
            )
        except PlacementError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(here)
        if not session.is_open:
            return HttpResponseRedirect(reverse("placement:result", args=[session.pk]))
        return HttpResponseRedirect(here)
    if request.method != "GET":
        return HttpResponseRedirect(here)
    return render(
        request,
        "placement/session.html",
        {
            "session": session,
            "item": item,
            "q": question,
            "progress": session_progress(session),
            "NAV_SECTION": "competencies",
        },
    )


@require_GET
@login_required
def placement_result(request, session_id: int):
    session = get_object_or_404(
        DiagnosticSession.objects.select_related("form", "person", "person__unit"), pk=session_id
    )
    if not policy.can(request.user, "competency.view_person", session.person):
        raise Http404
    if session.is_open:
        if session.person.user_id == request.user.pk:
            return HttpResponseRedirect(reverse("placement:session", args=[session.pk]))
        raise Http404
    rows = selectors.result_rows(session)
    weakest = selectors.attach_courses(rows)
    chart = selectors.result_chart(rows, cuts=selectors.form_cut_codes(session.form), title=_("Ability"))
    return render(
        request,
        "placement/result.html",
        {
            "session": session,
            "rows": rows,
            "weakest": weakest,
            "chart": chart,
            "mine": session.person.user_id == request.user.pk,
            "NAV_SECTION": "competencies",
        },
    )
