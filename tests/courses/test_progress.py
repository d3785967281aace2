import pytest

from courses import completion as completion_registry
from courses.completion import Requirement
from courses.errors import CourseError
from courses.models import Certificate, CourseCompletion, Enrolment, EnrolmentStatus, LessonProgress
from courses.selectors import course_outline, lock_reasons
from courses.services.enrolment import enrolment_create
from courses.services.progress import course_completion_refresh, lesson_complete, lesson_viewed
from tests.courses.conftest import lessons_of, make_course, make_lesson


def test_lock_reasons_is_pure_and_explains():
    lessons = [(1, "A", True), (2, "B", False), (3, "C", True)]
    assert lock_reasons(
        lessons=lessons, completed=set(), may_read=False, missing_prerequisite_titles=[], sequential=False
    ) == {
        1: "Enrol in this course to open its lessons.",
        2: "Enrol in this course to open its lessons.",
        3: "Enrol in this course to open its lessons.",
    }
    seq = lock_reasons(lessons=lessons, completed=set(), may_read=True, missing_prerequisite_titles=[], sequential=True)
    assert seq[1] == "" and "“A”" in seq[2] and "“A”" in seq[3]
    seq = lock_reasons(lessons=lessons, completed={1}, may_read=True, missing_prerequisite_titles=[], sequential=True)
    assert seq == {1: "", 2: "", 3: ""}
    pre = lock_reasons(
        lessons=lessons, completed=set(), may_read=True, missing_prerequisite_titles=["X"], sequential=False
    )
    assert all("“X”" in r for r in pre.values())


def test_enrolling_twice_keeps_one_open_enrolment(course, learner):
    first = enrolment_create(person=learner, course=course)
    second = enrolment_create(person=learner, course=course)
    assert first.pk == second.pk
    assert Enrolment.objects.filter(person=learner, course=course).count() == 1


def test_inactive_person_cannot_enrol(course, learner):
    learner.is_active = False
    learner.save()
    with pytest.raises(CourseError, match="active profile"):
        enrolment_create(person=learner, course=course)


def test_completing_every_required_lesson_completes_the_course_and_issues_a_certificate(course, learner):
    enrolment_create(person=learner, course=course)
    lessons = lessons_of(course)
    for lesson in lessons[:-1]:
        lesson_complete(person=learner, lesson=lesson)
    assert not CourseCompletion.objects.exists()
    lesson_complete(person=learner, lesson=lessons[-1])
    completion = CourseCompletion.objects.get(person=learner, course=course)
    assert completion.enrolment.status == EnrolmentStatus.COMPLETED
    certificate = Certificate.objects.get(completion=completion)
    assert certificate.full_name == "Nguyễn Thị Hồng Nhung" and len(certificate.code) == 14


def test_optional_lessons_are_not_needed(course, learner):
    make_lesson(course, title="Đọc thêm", slug="extra", required=False)
    enrolment_create(person=learner, course=course)
    for lesson in lessons_of(course)[:3]:
        lesson_complete(person=learner, lesson=lesson)
    assert CourseCompletion.objects.filter(person=learner).count() == 1


def test_not_enrolled_cannot_complete(course, learner):
    with pytest.raises(CourseError, match="Enrol"):
        lesson_complete(person=learner, lesson=lessons_of(course)[0])
    assert not LessonProgress.objects.exists()


def test_open_course_enrols_on_first_completion(catalogue, learner):
    course = make_course(catalogue, title="Mở", slug="open", open_access=True)
    lesson = make_lesson(course, slug="open-1")
    lesson_complete(person=learner, lesson=lesson)
    assert CourseCompletion.objects.filter(person=learner, course=course).exists()


def test_prerequisite_locks_lessons_with_reason(catalogue, course, learner):
    advanced = make_course(catalogue, title="Nâng cao", slug="advanced")
    advanced.prerequisites.add(course)
    advanced.save()
    lesson = make_lesson(advanced, slug="adv-1")
    enrolment_create(person=learner, course=advanced)
    outline = course_outline(course=advanced, person=learner, language="vi")
    assert outline.lessons[0].locked and "Cổng thông tin điện tử" in outline.lessons[0].lock_reason
    with pytest.raises(CourseError, match="Cổng thông tin điện tử"):
        lesson_complete(person=learner, lesson=lesson)
    # complete the prerequisite, and the lesson opens
    enrolment_create(person=learner, course=course)
    for each in lessons_of(course):
        lesson_complete(person=learner, lesson=each)
    lesson_complete(person=learner, lesson=lesson)
    assert CourseCompletion.objects.filter(person=learner, course=advanced).exists()


def test_sequential_course_refuses_skipping_ahead(catalogue, learner):
    course = make_course(catalogue, title="Tuần tự", slug="seq", sequential=True)
    first = make_lesson(course, title="Một", slug="s1")
    second = make_lesson(course, title="Hai", slug="s2")
    enrolment_create(person=learner, course=course)
    with pytest.raises(CourseError, match="“Một”"):
        lesson_complete(person=learner, lesson=second)
    lesson_complete(person=learner, lesson=first)
    lesson_complete(person=learner, lesson=second)


def test_viewed_and_resume(course, learner):
    enrolment_create(person=learner, course=course)
    lessons = lessons_of(course)
    lesson_complete(person=learner, lesson=lessons[0])
    lesson_viewed(person=learner, lesson=lessons[2])
    outline = course_outline(course=course, person=learner, language="vi")
    assert outline.resume.lesson.pk == lessons[2].pk
    assert outline.required_done == 1 and outline.percent == 33
    assert outline.lessons[2].viewed and not outline.lessons[2].completed


def test_viewing_without_enrolment_records_nothing(course, learner):
    assert lesson_viewed(person=learner, lesson=lessons_of(course)[0]) is None
    assert not LessonProgress.objects.exists()


def test_retake_keeps_the_old_completion(course, learner):
    enrolment_create(person=learner, course=course)
    for lesson in lessons_of(course):
        lesson_complete(person=learner, lesson=lesson)
    retake = enrolment_create(person=learner, course=course)
    assert retake.status == EnrolmentStatus.ACTIVE
    outline = course_outline(course=course, person=learner, language="vi")
    assert outline.required_done == 0
    for lesson in lessons_of(course):
        lesson_complete(person=learner, lesson=lesson)
    assert CourseCompletion.objects.filter(person=learner, course=course).count() == 2
    assert Certificate.objects.filter(person=learner, course=course).count() == 2


def test_requirement_provider_blocks_until_met(course, learner):
    state = {"met": False}

    def quiz_passed(person, c):
        return [Requirement(key="quiz:1", label="Quiz", met=state["met"])]

    completion_registry.register_requirement_provider(quiz_passed)
    try:
        enrolment_create(person=learner, course=course)
        for lesson in lessons_of(course):
            lesson_complete(person=learner, lesson=lesson)
        assert not CourseCompletion.objects.exists()
        state["met"] = True
        completion = course_completion_refresh(person=learner, course=course)
        assert completion is not None
        assert course_completion_refresh(person=learner, course=course) is None
        assert CourseCompletion.objects.count() == 1
    finally:
        completion_registry.unregister_requirement_provider(quiz_passed)


def test_optional_requirement_does_not_block(course, learner):
    def optional(person, c):
        return [Requirement(key="survey", label="Survey", met=False, required=False)]

    completion_registry.register_requirement_provider(optional)
    try:
        enrolment_create(person=learner, course=course)
        for lesson in lessons_of(course):
            lesson_complete(person=learner, lesson=lesson)
        assert CourseCompletion.objects.count() == 1
    finally:
        completion_registry.unregister_requirement_provider(optional)
