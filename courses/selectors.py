"""Reads for the learner pages. Each function runs a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Aggregate, Count, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import JSONArray
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from . import errors
from .models import (
    Certificate,
    CourseCompletion,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
)


def language_of_request() -> str:
    return (get_language() or "vi").split("-")[0]


def canonical_page(page: Page) -> Page:
    """The original page of a translation group (the first one created); learner data points at it.

    The mapping translation_key -> first pk never changes while the page exists, so it is cached.
    """
    cached = getattr(page, "_canonical_page", None)
    if cached is not None:
        return cached
    model = type(page)
    key = f"courses:canonical:{page.translation_key}"
    first_pk = cache.get(key)
    if first_pk is None:
        first_pk = (
            model.objects.filter(translation_key=page.translation_key)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if first_pk is not None:
            cache.set(key, first_pk, 24 * 3600)
    canonical = page if first_pk in (None, page.pk) else model.objects.get(pk=first_pk)
    page._canonical_page = canonical
    return canonical


def course_of_lesson(lesson: LessonPage) -> CoursePage:
    """The original course a (canonical) lesson belongs to: one query for the parent, none for the cache."""
    parent = CoursePage.objects.get(path=lesson.path[: -LessonPage.steplen])
    return canonical_page(parent)


def page_language(page: Page) -> str:
    languages = cache.get("courses:locales")
    if languages is None or page.locale_id not in languages:
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        cache.set("courses:locales", languages, 3600)
    return languages[page.locale_id]


def lesson_body_html(page: LessonPage, language: str, render) -> str:
    """The rendered body of a published lesson, cached per live revision (content-addressed, never stale).

    Pages saved without a revision (fixtures, imports) are rendered every time.
    """
    if not page.live_revision_id:
        return render()
    return cache.get_or_set(f"courses:lesson-body:{page.pk}:{page.live_revision_id}:{language}", render, 24 * 3600)


def translations_in(model, pages, language: str) -> dict:
    """{translation_key: live page in ``language``} for the given pages (one query)."""
    keys = [p.translation_key for p in pages]
    if not keys:
        return {}
    qs = model.objects.live().filter(translation_key__in=keys, locale__language_code=language)
    if model is LessonPage:
        qs = qs.defer("body")
    return {p.translation_key: p for p in qs}


@dataclass
class LessonState:
    lesson: LessonPage  # canonical
    shown: LessonPage  # what the learner reads (their language if translated)
    number: int
    viewed: bool = False
    completed: bool = False
    lock_reason: str = ""

    @property
    def locked(self) -> bool:
        return bool(self.lock_reason)


@dataclass
class CourseOutline:
    course: CoursePage  # canonical
    shown: CoursePage
    enrolment: Enrolment | None
    lessons: list[LessonState]
    missing_prerequisites: list[CoursePage] = field(default_factory=list)
    last_completion: CourseCompletion | None = None

    @property
    def required_total(self) -> int:
        return sum(1 for s in self.lessons if s.lesson.required)

    @property
    def required_done(self) -> int:
        return sum(1 for s in self.lessons if s.lesson.required and s.completed)

    @property
    def percent(self) -> int:
        total = self.required_total
        return round(100 * self.required_done / total) if total else 0

    @property
    def resume(self) -> LessonState | None:
        """Where to pick up: the last lesson opened if it is not finished, else the first open unfinished one."""
        if self.enrolment is None:
            return None
        for state in self.lessons:
            if state.lesson.pk == self.enrolment.last_lesson_id and not state.completed and not state.locked:
                return state
        for state in self.lessons:
            if not state.completed and not state.locked:
                return state
        return None

    def state_for(self, lesson_pk: int) -> LessonState | None:
        for state in self.lessons:
            if state.lesson.pk == lesson_pk:
                return state
        return None


def lock_reasons(
    *,
    lessons: list[tuple[int, str, bool]],
    completed: set[int],
    may_read: bool,
    missing_prerequisite_titles: list[str],
    sequential: bool,
) -> dict[int, str]:
    """Pure: why each lesson is locked ("" when open). ``lessons`` is [(id, title, required)] in course order."""
    reasons: dict[int, str] = {}
    blocked = ""
    if not may_read:
        blocked = str(errors.MSG_NOT_ENROLLED)
    elif missing_prerequisite_titles:
        blocked = str(errors.MSG_PREREQUISITE % {"title": missing_prerequisite_titles[0]})
    previous_required: tuple[int, str] | None = None
    for lesson_id, title, required in lessons:
        if blocked:
            reasons[lesson_id] = blocked
            continue
        reason = ""
        if sequential and previous_required is not None and previous_required[0] not in completed:
            reason = str(errors.MSG_PREVIOUS_LESSON % {"title": previous_required[1]})
        reasons[lesson_id] = reason
        if required:
            previous_required = (lesson_id, title)
    return reasons


class _JSONAgg(Aggregate):
    """The rows' values as one JSON array: ``jsonb_agg`` on PostgreSQL, ``json_group_array`` on SQLite."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def _with_progress(enrolments):
    """Each enrolment annotated with ``progress_rows``: [[lesson id, completed_at or null], ...] (no extra query)."""
    rows = (
        LessonProgress.objects.filter(enrolment=OuterRef("pk"))
        .values("enrolment")
        .annotate(rows=_JSONAgg(JSONArray("lesson_id", "completed_at")))
        .values("rows")
    )
    return enrolments.annotate(progress_rows=Subquery(rows, output_field=JSONField()))


def current_enrolment(*, person, course: CoursePage) -> Enrolment | None:
    """The open enrolment, else the latest finished one (so a completed course still shows its progress).

    Carries ``progress_rows`` (see ``_with_progress``), read in the same query.
    """
    if person is None:
        return None
    rows = list(
        _with_progress(
            Enrolment.objects.filter(person=person, course=course).exclude(status=EnrolmentStatus.WITHDRAWN)
        ).order_by("-enrolled_at")[:5]
    )
    for row in rows:
        if row.status == EnrolmentStatus.ACTIVE:
            return row
    return rows[0] if rows else None


def course_prerequisites(course: CoursePage) -> list[CoursePage]:
    """Prerequisites change only when the course is published again, so they are cached per live revision."""
    if not course.live_revision_id:
        return list(course.prerequisites.all())
    return cache.get_or_set(
        f"courses:prerequisites:{course.pk}:{course.live_revision_id}",
        lambda: list(course.prerequisites.all()),
        10 * 60,  # a renamed prerequisite shows its new title within minutes
    )


def course_outline(*, course: CoursePage, person, language: str, staff_preview: bool = False) -> CourseOutline:
    """Everything the course and lesson pages show about a learner and a course.

    ``course`` must be canonical. Queries: lessons, lesson translations, course translation,
    enrolment with its progress, prerequisites, prerequisite completions (6, whatever the size).
    """
    lessons = list(LessonPage.objects.child_of(course).live().defer("body").order_by("path"))
    shown_lessons = translations_in(LessonPage, lessons, language) if language != page_language(course) else {}
    shown_course = (
        translations_in(CoursePage, [course], language).get(course.translation_key, course)
        if language != page_language(course)
        else course
    )
    enrolment = current_enrolment(person=person, course=course)
    # {lesson id: completed (bool)}, read with the enrolment
    progress = {lesson_id: done is not None for lesson_id, done in (enrolment.progress_rows or [])} if enrolment else {}
    prerequisites = course_prerequisites(course)
    done_courses = set()
    if prerequisites and person is not None:
        done_courses = set(
            CourseCompletion.objects.filter(person=person, course__in=prerequisites).values_list("course_id", flat=True)
        )
    missing = [p for p in prerequisites if p.pk not in done_courses]
    if staff_preview:  # trainers read any lesson to check their course, whatever they completed themselves
        missing = []
    completed = {lid for lid, done in progress.items() if done}
    may_read = staff_preview or course.open_access or enrolment is not None
    reasons = lock_reasons(
        lessons=[
            (lesson.pk, shown_lessons.get(lesson.translation_key, lesson).title, lesson.required) for lesson in lessons
        ],
        completed=completed,
        may_read=may_read,
        missing_prerequisite_titles=[p.title for p in missing],
        sequential=course.sequential and not staff_preview,
    )
    states = [
        LessonState(
            lesson=lesson,
            shown=shown_lessons.get(lesson.translation_key, lesson),
            number=i,
            viewed=lesson.pk in progress,
            completed=lesson.pk in completed,
            lock_reason=reasons.get(lesson.pk, ""),
        )
        for i, lesson in enumerate(lessons, start=1)
    ]
    return CourseOutline(
        course=course, shown=shown_course, enrolment=enrolment, lessons=states, missing_prerequisites=missing
    )


def catalogue_index(language: str):
    """The live course catalogue in ``language``, else the first live one (the original); None without one."""
    from .models import CourseIndexPage

    pages = list(CourseIndexPage.objects.live().select_related("locale").order_by("pk"))
    return next((p for p in pages if p.locale.language_code == language), pages[0] if pages else None)


def catalogue_courses(index) -> list[CoursePage]:
    """Live courses of the catalogue (original pages), in tree order, with cover renditions prefetched."""
    from django.db.models import Prefetch
    from wagtail.images import get_image_model

    index = canonical_page(index)
    return list(
        CoursePage.objects.child_of(index)
        .live()
        .order_by("path")
        .prefetch_related(
            Prefetch("cover_image", queryset=get_image_model().objects.prefetch_renditions("fill-480x270"))
        )
    )


def all_live_courses() -> list[CoursePage]:
    """Live original course pages (the translation group's first page), ordered by title."""
    from django.db.models import Min

    firsts = CoursePage.objects.values("translation_key").annotate(first=Min("pk")).values("first")
    return list(CoursePage.objects.live().filter(pk__in=firsts).order_by("title"))


@dataclass
class DashboardRow:
    enrolment: Enrolment
    course: CoursePage
    title: str
    url: str | None
    done: int
    total: int
    overdue: bool
    started: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class Dashboard:
    in_progress: list[DashboardRow]
    assigned: list[DashboardRow]
    completed: list[tuple[CourseCompletion, str, Certificate | None]]
    recommended: list[tuple[CoursePage, str, list[str]]]  # course, title, weak competencies it develops


def _required_lesson_counts(courses: list[CoursePage]) -> dict[int, int]:
    if not courses:
        return {}
    by_path = {c.path: c.pk for c in courses}
    condition = Q(pk__in=[])
    for c in courses:
        condition |= Q(path__startswith=c.path, depth=c.depth + 1)
    counts: dict[int, int] = dict.fromkeys(by_path.values(), 0)
    for path in LessonPage.objects.live().filter(condition, required=True).values_list("path", flat=True):
        course_id = by_path.get(path[: -LessonPage.steplen])
        if course_id is not None:
            counts[course_id] += 1
    return counts


WEAK_SCORE = 0.5


def _weak_competencies(*, person, courses: list[CoursePage], language: str) -> dict[int, list[str]]:
    """{course id: names of its target competencies where the person has no score yet or one below 0.5}.

    Two queries: the person's scores, and the courses' competency links with their names.
    """
    from assessments.models import CompetencyScore

    if not courses:
        return {}
    scores = dict(CompetencyScore.objects.filter(person=person).values_list("competency_id", "score"))
    links = CoursePage.target_competencies.through.objects.filter(coursepage_id__in=[c.pk for c in courses])
    weak: dict[int, list[str]] = {}
    for course_id, competency_id, name_vi, name_en in links.values_list(
        "coursepage_id", "competency_id", "competency__name_vi", "competency__name_en"
    ).order_by("competency__code"):
        if scores.get(competency_id, 0.0) < WEAK_SCORE:
            weak.setdefault(course_id, []).append(name_en if language == "en" else name_vi)
    return weak


def my_learning(*, person, language: str, today=None) -> Dashboard:
    """The learner dashboard in a fixed number of queries (8) whatever the number of courses."""
    today = today or timezone.localdate()
    open_rows = list(
        Enrolment.objects.open()
        .filter(person=person)
        .select_related("course")
        .annotate(
            done=Count("lesson_progress", filter=Q(lesson_progress__completed_at__isnull=False)),
            opened=Count("lesson_progress"),
        )
        .order_by("due_date", "-enrolled_at")
    )
    completions = list(
        CourseCompletion.objects.filter(person=person).select_related("course", "certificate").order_by("-completed_at")
    )
    courses = {e.course.pk: e.course for e in open_rows} | {c.course.pk: c.course for c in completions}
    live = all_live_courses()
    taken = set(courses) | set(Enrolment.objects.filter(person=person).values_list("course_id", flat=True))
    candidates = [c for c in live if c.pk not in taken]
    weak = _weak_competencies(person=person, courses=candidates, language=language)
    candidates.sort(key=lambda c: (not c.mandatory, -len(weak.get(c.pk, [])), c.title))
    recommended = candidates[:4]
    shown = translations_in(CoursePage, [*courses.values(), *recommended], language)
    counts = _required_lesson_counts(list(courses.values()))

    def title(course):
        return shown.get(course.translation_key, course).title

    rows = [
        DashboardRow(
            enrolment=e,
            course=e.course,
            title=title(e.course),
            url=e.course.url,
            done=e.done,
            total=counts.get(e.course.pk, 0),
            overdue=e.is_overdue(today),
            started=e.opened > 0,
        )
        for e in open_rows
    ]
    completed = []
    for c in completions:
        try:
            certificate = c.certificate
        except Certificate.DoesNotExist:
            certificate = None
        completed.append((c, title(c.course), certificate))
    return Dashboard(
        # Every course the learner is taking: those they enrolled in, and the assigned ones they have begun.
        in_progress=[r for r in rows if r.enrolment.due_date is None or r.started],
        assigned=[r for r in rows if r.enrolment.due_date is not None],
        completed=completed,
        recommended=[(c, title(c), weak.get(c.pk, [])[:2]) for c in recommended],
    )


def assignment_counts(*, assignment, people, today=None) -> dict[str, int]:
    """How an assignment is going, counted in SQL over the people the viewer may see (one query)."""
    today = today or timezone.localdate()
    is_open = Q(status=EnrolmentStatus.ACTIVE)
    return Enrolment.objects.filter(assignment=assignment, person__in=people).aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        in_progress=Count("pk", filter=is_open & (Q(due_date__isnull=True) | Q(due_date__gte=today))),
        overdue=Count("pk", filter=is_open & Q(due_date__lt=today)),
    )
