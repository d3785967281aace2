"""Demo courses: four real courses in Vietnamese with English translations, assignments, and a year of history.

Idempotent: pages are found by slug and left alone if they exist; assignments and the simulated
history are created once (bulk inserts, a second or so).
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from lms.models import StaffProfile, Unit

from . import demo_screens
from .demo_content import COURSES, DIGITAL, DOCUMENTS, EXCHANGE, PORTAL
from .models import (
    Certificate,
    CourseAssignment,
    CourseCompletion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
)
from .services.assignments import assignment_targets
from .services.authoring import catalogue_authoring_setup
from .services.certificates import certificate_code_new


def _body(items) -> list[dict]:
    """Expand the compact notation of ``demo_content`` into StreamField data."""
    blocks = []
    for item in items:
        kind = item[0]
        if kind == "h":
            blocks.append({"type": "heading", "value": {"text": item[1], "level": "h2"}})
        elif kind == "p":
            blocks.append({"type": "paragraph", "value": item[1]})
        elif kind in {"tip", "warning", "policy"}:
            blocks.append({"type": "callout", "value": {"kind": kind, "text": item[1]}})
        elif kind == "steps":
            steps = [{"screenshot": None, "screenshot_alt": "", "instruction": text} for text in item[2]]
            blocks.append({"type": "walkthrough", "value": {"title": item[1], "steps": steps}})
        elif kind == "check":
            _kind, question, choices, correct, explanation = item
            blocks.append(
                {
                    "type": "self_check",
                    "value": {"question": question, "choices": choices, "correct": correct, "explanation": explanation},
                }
            )
    return blocks


SCREENSHOT_COLLECTION = "Demo screenshots"
# The platform each walkthrough shows: by course, or by lesson where a course covers several tools.
PLATFORM_OF = {
    PORTAL["slug"]: "portal",
    DOCUMENTS["slug"]: "documents",
    EXCHANGE["slug"]: "exchange",
    "an-toan-khong-gian-mang": "mail",
    "nhan-dien-thong-tin-sai-lech": "factcheck",
}


class Screenshots:
    """The demo's walkthrough screenshots: drawn once each, kept as Wagtail images in their own collection.

    An image is found again by its title (the task, the step and the lesson's slug, readable in the image
    chooser), so seeding twice draws and stores nothing new.
    """

    def __init__(self) -> None:
        # A flushed test database has no collection tree (as site_root() rebuilds the page tree).
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        collection = Collection.objects.filter(name=SCREENSHOT_COLLECTION).first()
        self.collection = collection or root.add_child(name=SCREENSHOT_COLLECTION)
        self.images = {image.title: image for image in get_image_model().objects.filter(collection=self.collection)}

    def image(self, step: demo_screens.Step, title: str, name: str):
        image = self.images.get(title)
        if image is None:
            data = demo_screens.render(step)
            image = get_image_model()(title=title, collection=self.collection)
            image.file = ImageFile(io.BytesIO(data), name=f"demo-{name}.png")
            image.save()
            self.images[title] = image
        return image

    def fill(self, body: list[dict], *, platform: str | None, slug: str, language: str) -> bool:
        """Give every walkthrough step of ``body`` (StreamField data) without a screenshot its drawing and
        text alternative, in place; returns whether anything changed. Steps a trainer filled are kept."""
        if platform is None:
            return False
        changed = False
        walkthroughs = [block["value"] for block in body if block["type"] == "walkthrough"]
        for w, walkthrough in enumerate(walkthroughs, start=1):
            steps = [item["value"] if item.get("type") == "item" else item for item in walkthrough["steps"]]
            menu = None
            for n, step in enumerate(steps, start=1):
                drawn = demo_screens.Step(
                    platform, language, walkthrough["title"], n, len(steps), str(step["instruction"]), menu
                )
                menu = demo_screens.target(drawn).menu or menu
                if step.get("screenshot"):
                    continue
                title = f"{walkthrough['title']} · {demo_screens.STEP_WORD[language]} {n}/{len(steps)} ({slug})"
                step["screenshot"] = self.image(drawn, title, f"{slug}-{language}-{w}-{n}").pk
                if not step.get("screenshot_alt"):
                    step["screenshot_alt"] = demo_screens.alt_text(drawn)
                changed = True
        return changed

    def fill_page(self, page, *, platform: str | None, language: str) -> None:
        """Backfill a lesson seeded before the demo had screenshots (left alone if it has a pending draft)."""
        if page.has_unpublished_changes:
            return
        body = page.body.get_prep_value()
        if self.fill(body, platform=platform, slug=page.slug, language=language):
            page.body = body
            page.save_revision().publish()


def _translate(page, locale: Locale, **fields):
    """Create (once) and publish the translation of ``page`` in ``locale`` with the given fields."""
    existing = page.get_translations().filter(locale=locale).first()
    if existing is not None:
        return existing.specific
    translated = page.copy_for_translation(locale, copy_parents=True).specific
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


def site_root() -> Page:
    """The default site's home page; rebuilt if missing (a flushed test database has no Wagtail tree)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    vietnamese, _created = Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=vietnamese))
    home = root.add_child(instance=Page(title="HocSo", slug="home", locale=vietnamese))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="HocSo")
    return home


def _catalogue(english: Locale) -> CourseIndexPage:
    index = CourseIndexPage.objects.filter(locale__language_code="vi").order_by("pk").first()
    if index is None:
        root = site_root()
        index = root.add_child(
            instance=CourseIndexPage(
                title="Khoá học",
                slug="courses",
                intro="<p>Các khoá học về hệ thống thông tin và kỹ năng số của Bộ Ngoại giao.</p>",
            )
        )
    home = index.get_parent()
    if not home.get_translations().filter(locale=english).exists():
        _translate(home.specific, english)
    _translate(
        index,
        english,
        title="Courses",
        intro="<p>Courses on the Ministry of Foreign Affairs' information systems and digital skills.</p>",
    )
    return index


def _course(index: CourseIndexPage, data: dict, english: Locale, shots: Screenshots) -> CoursePage:
    course = CoursePage.objects.child_of(index).filter(slug=data["slug"]).first()
    if course is None:
        course = index.add_child(
            instance=CoursePage(
                title=data["vi"]["title"],
                slug=data["slug"],
                summary=data["vi"]["summary"],
                estimated_hours=data["hours"],
                level=data["level"],
                mandatory=data["mandatory"],
                certificate_valid_days=data["valid_days"],
                renew_days_before=30,
            )
        )
        course.save_revision().publish()
    _translate(course, english, title=data["en"]["title"], summary=data["en"]["summary"])
    for lesson_data in data["lessons"]:
        slug = lesson_data["slug"]
        platform = PLATFORM_OF.get(slug, PLATFORM_OF.get(data["slug"]))
        lesson = LessonPage.objects.child_of(course).filter(slug=slug).first()
        if lesson is None:
            body = _body(lesson_data["vi"]["body"])
            shots.fill(body, platform=platform, slug=slug, language="vi")
            lesson = course.add_child(
                instance=LessonPage(
                    title=lesson_data["vi"]["title"],
                    slug=lesson_data["slug"],
                    summary=lesson_data["vi"]["summary"],
                    estimated_minutes=lesson_data["minutes"],
                    body=body,
                )
            )
            lesson.save_revision().publish()
        else:
            shots.fill_page(lesson, platform=platform, language="vi")
        translation = lesson.get_translations().filter(locale=english).first()
        if translation is None:
            body = _body(lesson_data["en"]["body"])
            shots.fill(body, platform=platform, slug=slug, language="en")
            _translate(
                lesson, english, title=lesson_data["en"]["title"], summary=lesson_data["en"]["summary"], body=body
            )
        else:
            shots.fill_page(translation.specific, platform=platform, language="en")
    return course


def _history(courses: dict[str, CoursePage], today) -> tuple[int, int]:
    """A year of learning for the demo ministry; returns (enrolments, completions) created."""
    rng = random.Random(2026)
    now = timezone.now()
    people = list(StaffProfile.objects.active().select_related("user").order_by("pk"))
    demo_staff = next((p for p in people if p.user.username == "staff"), None)
    lessons = {
        slug: list(LessonPage.objects.child_of(course).live().order_by("path").values_list("pk", flat=True))
        for slug, course in courses.items()
    }
    # 1. Past completions (with certificates), spread over the last year.
    share = {DIGITAL["slug"]: 0.45, DOCUMENTS["slug"]: 0.3, PORTAL["slug"]: 0.2, EXCHANGE["slug"]: 0.1}
    finished: list[tuple[StaffProfile, CoursePage, object]] = []
    for slug, course in courses.items():
        for person in people:
            if person is demo_staff:
                continue
            if slug == EXCHANGE["slug"] and not any(p is person and c.slug == DIGITAL["slug"] for p, c, _ in finished):
                continue
            if rng.random() < share[slug]:
                finished.append((person, course, now - timedelta(days=rng.randint(20, 360), hours=rng.randint(0, 8))))
    if demo_staff is not None:
        finished.append((demo_staff, courses[PORTAL["slug"]], now - timedelta(days=120)))
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                person=person,
                course=course,
                status=EnrolmentStatus.COMPLETED,
                source=EnrolmentSource.SELF,
                enrolled_at=done - timedelta(days=rng.randint(3, 30)),
                completed_at=done,
            )
            for person, course, done in finished
        ]
    )
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(enrolment=e, lesson_id=lesson_id, viewed_at=e.enrolled_at, completed_at=e.completed_at)
            for e in enrolments
            for lesson_id in lessons[e.course.slug]
        ]
    )
    completions = CourseCompletion.objects.bulk_create(
        [
            CourseCompletion(person=e.person, course=e.course, enrolment=e, completed_at=e.completed_at)
            for e in enrolments
        ]
    )
    Certificate.objects.bulk_create(
        [
            Certificate(
                completion=c,
                person=c.person,
                course=c.course,
                code=certificate_code_new(),
                full_name=c.person.full_name,
                issued_at=c.completed_at,
                expires_on=(
                    timezone.localdate(c.completed_at) + timedelta(days=c.course.certificate_valid_days)
                    if c.course.certificate_valid_days
                    else None
                ),
            )
            for c in completions
        ]
    )
    # 2. Assigned training, as HR set it up weeks ago (one overdue, two open).
    hr = get_user_model().objects.filter(username="hr").first()
    plans = [
        (DIGITAL["slug"], ["BNG"], today + timedelta(days=30), 60),
        (DOCUMENTS["slug"], ["CQDD-EU"], today - timedelta(days=3), 45),
        (PORTAL["slug"], ["TTBC", "VP"], today + timedelta(days=14), 20),
    ]
    units = {u.code: u for u in Unit.objects.filter(code__in=[c for _s, codes, _d, _a in plans for c in codes])}
    assigned: list[Enrolment] = []
    for slug, codes, due, days_ago in plans:
        assignment = CourseAssignment.objects.create(
            course=courses[slug], due_date=due, created_by=hr, created_at=now - timedelta(days=days_ago)
        )
        assignment.units.set([units[c] for c in codes if c in units])
        done_ids = {p.pk for p, c, _ in finished if c.slug == slug}
        assigned += [
            Enrolment(
                person_id=pk,
                course=courses[slug],
                source=EnrolmentSource.ASSIGNED,
                due_date=due,
                assignment=assignment,
                enrolled_at=assignment.created_at,
            )
            for pk in assignment_targets(assignment).values_list("pk", flat=True)
            if pk not in done_ids
        ]
    assigned = Enrolment.objects.bulk_create(assigned, ignore_conflicts=True)
    # 3. Partial progress on open enrolments (never all lessons: those would be completions).
    open_enrolments = list(
        Enrolment.objects.open().filter(course__in=courses.values()).select_related("course", "person")
    )
    progress = []
    for e in open_enrolments:
        ids = lessons[e.course.slug]
        if e.person_id == getattr(demo_staff, "pk", None):
            count = 1 if e.course.slug == DIGITAL["slug"] else 0
        else:
            count = rng.randint(0, len(ids) - 1)
        for i, lesson_id in enumerate(ids[:count]):
            at = e.enrolled_at + timedelta(days=i + 1)
            progress.append(LessonProgress(enrolment=e, lesson_id=lesson_id, viewed_at=at, completed_at=at))
    LessonProgress.objects.bulk_create(progress, ignore_conflicts=True)
    return len(enrolments) + len(open_enrolments), len(completions)


# Competencies each course develops: (framework code, competency code), from the shipped frameworks.
TARGETS = {
    PORTAL["slug"]: [("MOFA-DP", "NT1"), ("VN-DCF", "3.1"), ("VN-DCF", "2.2")],
    DOCUMENTS["slug"]: [("MOFA-DP", "NT2"), ("MOFA-DP", "NT3"), ("VN-DCF", "1.3")],
    EXCHANGE["slug"]: [("MOFA-DP", "NT4"), ("VN-DCF", "2.2"), ("VN-DCF", "4.2")],
    DIGITAL["slug"]: [("MOFA-DP", "AT1"), ("MOFA-DP", "AT2"), ("VN-DCF", "4.1"), ("VN-DCF", "4.2"), ("VN-DCF", "1.2")],
}


def _link_competencies(courses: dict[str, CoursePage]) -> None:
    from assessments.models import Competency

    for slug, pairs in TARGETS.items():
        course = courses[slug]
        if course.target_competencies.exists():
            continue
        wanted = [
            c
            for fw, code in pairs
            for c in Competency.objects.filter(framework__code=fw, framework__is_current=True, code=code)
        ]
        if wanted:
            course.target_competencies.set(wanted)
            course.save_revision().publish()


@transaction.atomic
def seed(stdout=None) -> None:
    Locale.objects.get_or_create(language_code="vi")
    english, _created = Locale.objects.get_or_create(language_code="en")
    index = _catalogue(english)
    catalogue_authoring_setup(catalogue=index)
    shots = Screenshots()
    courses = {data["slug"]: _course(index, data, english, shots) for data in COURSES}
    _link_competencies(courses)
    exchange = courses[EXCHANGE["slug"]]
    if not exchange.prerequisites.exists():
        exchange.prerequisites.add(courses[DIGITAL["slug"]])
        exchange.save_revision().publish()
    if CourseAssignment.objects.filter(course__in=courses.values()).exists():
        if stdout is not None:
            stdout.write(f"Courses: {len(courses)} courses already seeded.")
        return
    enrolments, completions = _history(courses, timezone.localdate())
    if stdout is not None:
        stdout.write(f"Courses: {len(courses)} courses, {enrolments} enrolments, {completions} completions.")
