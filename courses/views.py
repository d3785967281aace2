"""Learner and assigner views. Thin: authorise through lms.policy, call one selector or service, render."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import policy

from . import selectors
from .errors import CourseError
from .forms import AssignmentForm
from .models import (
    AssignmentRun,
    Certificate,
    CourseAssignment,
    CoursePage,
    Enrolment,
    LessonPage,
)
from .services import assignments as assignment_services
from .services import certificates as certificate_services
from .services.enrolment import enrolment_create
from .services.progress import lesson_complete, lesson_viewed


@dataclass(frozen=True)
class LessonAccess:
    """What lms.policy needs to decide whether someone may read a lesson."""

    course: CoursePage
    enrolment: Enrolment | None


def _language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or selectors.language_of_request()


def _shown_translation(page, canonical, language: str):
    """The page to display for ``language``: the routed page if it is in that language, else its live translation,
    else the original. Returns (page, is_fallback)."""
    if selectors.page_language(page) == language:
        return page, False
    model = type(page)
    translated = (
        model.objects.live().filter(translation_key=page.translation_key, locale__language_code=language).first()
    )
    if translated is not None:
        return translated, False
    return canonical, True


@login_required
def catalogue_redirect(request):
    """A stable address for the catalogue (the navigation links here): the live catalogue page in the
    learner's language, else the original."""
    index = selectors.catalogue_index(_language(request))
    if index is None:
        raise Http404
    return HttpResponseRedirect(index.url)


def catalogue_page(request, index):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    language = _language(request)
    courses = selectors.catalogue_courses(index)
    shown = selectors.translations_in(CoursePage, courses, language)
    person = policy.profile_of(request.user)
    open_ids = (
        set(Enrolment.objects.open().filter(person=person, course__in=courses).values_list("course_id", flat=True))
        if person
        else set()
    )
    rows = [(c, shown.get(c.translation_key, c), c.pk in open_ids) for c in courses]
    shown_index, fallback = _shown_translation(index, selectors.canonical_page(index), language)
    return render(
        request,
        "courses/catalogue_page.html",
        {"page": shown_index, "rows": rows, "fallback": fallback, "self": shown_index},
    )


def course_page(request, page: CoursePage):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    language = _language(request)
    course = selectors.canonical_page(page)
    person = policy.profile_of(request.user)
    outline = selectors.course_outline(
        course=course, person=person, language=language, staff_preview=policy.is_trainer(request.user)
    )
    shown, fallback = _shown_translation(page, course, language)
    return render(
        request,
        "courses/course_page.html",
        {
            "page": shown,
            "self": shown,
            "course": course,
            "outline": outline,
            "fallback": fallback,
            "can_enrol": policy.can(request.user, "courses.enrol", course),
            "competencies": list(course.target_competencies.select_related("framework").order_by("code")),
            "can_assign": policy.is_trainer(request.user) or policy.is_hr(request.user),
        },
    )


def lesson_page(request, page: LessonPage):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    language = _language(request)
    lesson = selectors.canonical_page(page)
    parent = getattr(page, "_cached_parent_obj", None)  # set while routing: saves a query
    if lesson is page and isinstance(parent, CoursePage):
        course = selectors.canonical_page(parent)
    else:
        course = selectors.course_of_lesson(lesson)
    person = policy.profile_of(request.user)
    outline = selectors.course_outline(course=course, person=person, language=language)
    current = outline.state_for(lesson.pk)
    closed = (outline.enrolment is None and not course.open_access) or (current is not None and current.locked)
    if closed and policy.is_trainer(request.user):
        # Trainers read any lesson (to check their course), whatever its prerequisites or order; a learner's
        # role is queried only when the lesson is closed to them.
        outline = selectors.course_outline(course=course, person=person, language=language, staff_preview=True)
    if not policy.can(request.user, "courses.view_lesson", LessonAccess(course=course, enrolment=outline.enrolment)):
        messages.info(request, _("Enrol in this course to open its lessons."))
        return HttpResponseRedirect(course.url)
    state = outline.state_for(lesson.pk)
    if state is None:
        raise Http404
    shown, fallback = _shown_translation(page, lesson, language)
    index = outline.lessons.index(state)
    body_html = ""
    if not state.locked:
        body_html = selectors.lesson_body_html(
            shown, language, lambda: render_to_string("courses/_lesson_body.html", {"page": shown}, request=request)
        )
    context = {
        "body_html": mark_safe(body_html),  # noqa: S308 - rendered by our own template, cached per revision
        "page": shown,
        "self": shown,
        "course": course,
        "outline": outline,
        "state": state,
        "fallback": fallback,
        "previous": outline.lessons[index - 1] if index > 0 else None,
        "next": outline.lessons[index + 1] if index + 1 < len(outline.lessons) else None,
        "can_complete": (outline.enrolment is not None and outline.enrolment.status == "active") or course.open_access,
    }
    status = 403 if state.locked else 200
    return render(request, "courses/lesson_page.html", context, status=status)


def _lesson_or_404(lesson_id: int) -> LessonPage:
    return get_object_or_404(LessonPage.objects.live().defer("body"), pk=lesson_id)


@login_required
@require_POST
def enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    course = selectors.canonical_page(course)
    if not policy.can(request.user, "courses.enrol", course):
        messages.error(request, _("Only staff with an active profile can enrol in courses."))
        return HttpResponseRedirect(course.url)
    try:
        enrolment_create(person=policy.profile_of(request.user), course=course)
    except CourseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    return HttpResponseRedirect(course.url)


@login_required
@require_POST
def lesson_viewed_view(request, lesson_id: int):
    lesson = _lesson_or_404(lesson_id)
    person = policy.profile_of(request.user)
    if person is None:
        return HttpResponse(status=204)
    lesson_viewed(person=person, lesson=lesson)
    return HttpResponse(status=204)


@login_required
@require_POST
def lesson_complete_view(request, lesson_id: int):
    lesson = _lesson_or_404(lesson_id)
    person = policy.profile_of(request.user)
    if person is None or not policy.can(request.user, "learning.take"):
        messages.error(request, _("Only staff with an active profile can enrol in courses."))
        return HttpResponseRedirect(lesson.url)
    try:
        lesson_complete(person=person, lesson=lesson)
    except CourseError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(lesson.url)
    course = selectors.course_of_lesson(selectors.canonical_page(lesson))
    outline = selectors.course_outline(course=course, person=person, language=_language(request))
    if outline.enrolment is not None and outline.enrolment.status == "completed":
        messages.success(request, _("Congratulations: you have completed the course. Your certificate is ready."))
        return HttpResponseRedirect(course.url)
    messages.success(request, _("Lesson completed."))
    following = outline.resume
    return HttpResponseRedirect(following.shown.url if following else course.url)


@login_required
def my_learning(request):
    person = policy.profile_of(request.user)
    if person is None:
        return render(request, "courses/my_learning.html", {"dashboard": None})
    dashboard = selectors.my_learning(person=person, language=_language(request))
    return render(request, "courses/my_learning.html", {"dashboard": dashboard})


# ---- certificates ----


def certificate_verify(request):
    """Public: anyone with a code learns whether it is valid, and the name, course and date. Nothing else."""
    code = certificate_services.normalise_code(request.GET.get("code", ""))
    certificate = None
    if code:
        certificate = Certificate.objects.select_related("course").filter(code=code).first()
    context = {"code": code, "certificate": certificate, "searched": bool(code)}
    if certificate is not None:
        context["course_title"] = certificate_services.certificate_course_title(certificate, _language(request))
        context["valid"] = certificate.is_valid()
    return render(request, "courses/certificate_verify.html", context)


@login_required
def certificate_pdf(request, code: str):
    certificate = Certificate.objects.select_related("course", "person__unit").filter(code=code).first()
    if certificate is None or not policy.can(request.user, "courses.view_certificate", certificate):
        raise Http404
    language = certificate.person.language or _language(request)
    verify_url = request.build_absolute_uri(f"{reverse('courses:certificate_verify')}?code={certificate.code}")
    pdf = certificate_services.certificate_pdf(certificate=certificate, language=language, verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


# ---- assignments ----


def _may_assign(user) -> bool:
    return policy.is_trainer(user) or policy.is_hr(user)


@login_required
def assignment_list(request):
    if not _may_assign(request.user):
        raise Http404
    rows = [
        a
        for a in CourseAssignment.objects.select_related("course", "created_by")
        .prefetch_related("units", "runs")
        .order_by("-created_at")[:200]
        if policy.can(request.user, "courses.view_assignment", a)
    ]
    return render(request, "courses/assignment_list.html", {"assignments": rows})


@login_required
def assignment_new(request):
    if not _may_assign(request.user):
        raise Http404
    units = None if policy.is_trainer(request.user) else policy.reportable_units(request.user)
    form = AssignmentForm(request.POST or None, user=request.user, units=units, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            assignment = assignment_services.assignment_create(
                actor=request.user,
                course=form.cleaned_data["course"],
                units=list(form.cleaned_data["units"]),
                positions=form.cleaned_data["positions"],
                due_date=form.cleaned_data["due_date"],
                include_subunits=form.cleaned_data["include_subunits"],
            )
        except assignment_services.AssignmentInvalid as exc:
            for field, problems in exc.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("The course is assigned; enrolments are being created."))
            return redirect("courses:assignment_detail", pk=assignment.pk)
    return render(request, "courses/assignment_form.html", {"form": form})


@login_required
def assignment_detail(request, pk: int):
    assignment = get_object_or_404(CourseAssignment.objects.select_related("course", "created_by"), pk=pk)
    if not _may_assign(request.user) or not policy.can(request.user, "courses.view_assignment", assignment):
        raise Http404
    run = AssignmentRun.objects.filter(assignment=assignment).order_by("-created_at").first()
    return render(
        request,
        "courses/assignment_detail.html",
        {
            "assignment": assignment,
            "run": run,
            "units": list(assignment.units.all()),
            "counts": selectors.assignment_counts(assignment=assignment, people=policy.visible_people(request.user)),
        },
    )
