import pytest

from courses.models import Enrolment, LessonProgress
from tests.e2e.conftest import sign_in


@pytest.fixture
def demo(transactional_db, settings):
    from courses import demo as courses_demo
    from lms import demo as lms_demo

    lms_demo.seed()
    courses_demo.seed()
    return settings.DEMO_PASSWORD


def test_staff_completes_a_lesson_of_an_assigned_course(page, demo):
    sign_in(page, "staff", demo)
    page.locator("a[href='/my-learning/']").first.click()
    # the overdue assigned course is flagged in words, not only in red
    overdue_row = page.locator("tr.overdue")
    assert overdue_row.count() == 1
    assert "Hệ thống quản lý văn bản" in overdue_row.inner_text()
    overdue_row.get_by_role("link").click()
    page.wait_for_url("**/learn/courses/quan-ly-van-ban/")
    progress = page.get_by_test_id("course-progress").locator("progress")
    assert progress.get_attribute("value") == "0"
    page.locator("a.button.primary").first.click()  # Start: the first lesson
    page.wait_for_url("**/quan-ly-van-ban/van-ban-den/")
    page.wait_for_load_state("networkidle")  # the "viewed" beacon has been answered
    page.locator("form[action$='/complete/'] button").click()
    page.wait_for_url("**/quan-ly-van-ban/van-ban-di/")
    page.wait_for_load_state("networkidle")
    progress = page.get_by_test_id("course-progress").locator("progress")
    assert progress.get_attribute("value") == "25"
    assert "1" in page.get_by_test_id("course-progress").inner_text()
    assert LessonProgress.objects.filter(
        enrolment__person__user__username="staff", completed_at__isnull=False, lesson__slug="van-ban-den"
    ).exists()
    # the page told the server it was opened (a POST with the CSRF token), so "Resume" lands here
    enrolment = Enrolment.objects.get(person__user__username="staff", course__slug="quan-ly-van-ban", status="active")
    assert enrolment.last_lesson.slug == "van-ban-di"
    # back on the dashboard the assigned course shows the new progress
    page.goto("/my-learning/")
    assert "1/4" in page.locator("tr.overdue").inner_text()


def test_lesson_page_works_on_a_phone(phone_page, demo):
    sign_in(phone_page, "staff", demo)
    phone_page.goto("/learn/courses/ky-nang-so-cho-can-bo-ngoai-giao/an-toan-khong-gian-mang/")
    phone_page.wait_for_load_state("networkidle")  # let the "viewed" beacon finish before the database is reset
    assert phone_page.locator("h1").inner_text() == "Làm việc an toàn trên không gian mạng"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the lesson scrolls sideways on a phone"
    for url in ("/my-learning/", "/learn/courses/", "/learn/courses/quan-ly-van-ban/"):
        phone_page.goto(url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} scrolls sideways on a phone"


def test_a_self_check_question_answers_the_learner_on_the_page(phone_page, demo):
    """Self-checks were a list and a hidden answer; now the learner picks, checks and is told, on a phone too."""
    from courses.models import CoursePage
    from courses.services.enrolment import enrolment_create
    from lms.models import StaffProfile
    from tests.courses.conftest import make_course, make_lesson

    block = {"question": "Chữ ký số dùng để làm gì?", "choices": ["Trang trí", "Xác thực"], "correct": 2}
    course = make_course(CoursePage.objects.live().first().get_parent(), title="Tự kiểm tra", slug="tu-kiem-tra")
    lesson = make_lesson(course, title="Bài có câu hỏi", body=[{"type": "self_check", "value": block}])
    enrolment_create(person=StaffProfile.objects.get(user__username="staff"), course=course)
    wrong = 1
    sign_in(phone_page, "staff", demo)
    phone_page.goto(lesson.url)
    form = phone_page.locator("form[data-self-check]").first
    form.get_by_role("button").click()  # nothing chosen yet
    assert form.locator(".self-check-result").inner_text() == "Hãy chọn một câu trả lời trước."
    form.locator(f"input[value='{wrong}']").check()
    form.get_by_role("button").click()
    assert "Chưa đúng" in form.locator(".self-check-result").inner_text()
    assert form.locator("label.is-correct input").get_attribute("value") == str(block["correct"])
    assert form.locator("details").get_attribute("open") is not None
    form.locator(f"input[value='{block['correct']}']").check()
    form.get_by_role("button").click()
    assert form.locator(".self-check-result").inner_text() == "Đúng."
