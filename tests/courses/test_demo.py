from courses.models import Certificate, CourseAssignment, CourseCompletion, CoursePage, Enrolment, LessonPage


def counts():
    return (
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        Enrolment.objects.count(),
        CourseCompletion.objects.count(),
        Certificate.objects.count(),
        CourseAssignment.objects.count(),
    )


def test_demo_courses_are_real_bilingual_and_idempotent(db):
    from courses import demo
    from lms import demo as lms_demo

    lms_demo.seed()
    demo.seed()
    first = counts()
    demo.seed()
    assert counts() == first
    originals = CoursePage.objects.filter(locale__language_code="vi")
    assert originals.count() == 4
    for course in originals:
        lessons = LessonPage.objects.child_of(course)
        assert 3 <= lessons.count() <= 6
        english = course.get_translations().get(locale__language_code="en")
        assert english.live and english.title != course.title
        for lesson in lessons:
            assert lesson.get_translations().filter(locale__language_code="en", live=True).exists()
            assert len(lesson.body) >= 3
    assert CourseCompletion.objects.count() > 50 and CourseAssignment.objects.count() == 3
    digital = originals.get(slug="ky-nang-so-cho-can-bo-ngoai-giao")
    assert {c.code for c in digital.target_competencies.all()} >= {"AT1", "4.1"}
    staff = Enrolment.objects.filter(person__user__username="staff")
    assert staff.filter(status="active", due_date__isnull=False).count() == 2
    assert staff.filter(status="completed").count() == 1
