"""The demo officer takes a quiz, closes the page half-way, comes back, finishes and sees the result."""

import pytest

from assessments.quizzes.keys import masks_for
from assessments.quizzes.models import Attempt, QuizPage
from tests.e2e.conftest import sign_in, wait_until


@pytest.fixture
def demo(transactional_db, settings):
    from assessments.quizzes import demo as quizzes_demo
    from courses import demo as courses_demo
    from lms import demo as lms_demo

    lms_demo.seed()
    courses_demo.seed()
    quizzes_demo.seed()
    return settings.DEMO_PASSWORD


def _right(item) -> dict:
    """How to answer one question right in the page: (selector, action, value) steps."""
    snap = item.version.snapshot
    kind, name = snap["kind"], f"q-{item.pk}"
    correct = [c["id"] for c in snap["choices"] if c["correct"]]
    masks = masks_for(item)  # matching targets and ordering items carry per-attempt opaque ids in the page
    if kind == "single":
        return [("check", f"input[name='{name}'][value='{correct[0]}']", None)]
    if kind == "multiple":
        return [("check", f"input[name='{name}'][value='{cid}']", None) for cid in correct]
    if kind == "true_false":
        return [("check", f"input[name='{name}'][value='{str(snap['true_false']).lower()}']", None)]
    if kind == "numeric":
        return [("fill", f"#{name}", f"{snap['numeric']['answer']:g}".replace(".", ","))]
    if kind == "short_text":
        return [("fill", f"#{name}", snap["accepted"][0])]
    if kind == "matching":
        return [("select", f"#{name}-{c['id']}", masks.target(c["id"])) for c in snap["choices"]]
    if kind == "ordering":
        return [("select", f"#{name}-{masks.choice(c['id'])}", str(i)) for i, c in enumerate(snap["choices"], start=1)]
    raise AssertionError(kind)


def _answer(page, item):
    for action, selector, value in _right(item):
        locator = page.locator(selector)
        if action == "check":
            locator.check()
        elif action == "fill":
            locator.fill(value)
        else:
            locator.select_option(value)


def test_staff_takes_a_quiz_leaves_comes_back_and_sees_the_result(page, demo):
    quiz = QuizPage.objects.get(slug="kiem-tra", url_path__contains="quan-ly-van-ban")
    sign_in(page, "staff", demo)
    page.goto(quiz.url)
    page.locator(f"form[action='{quiz.url}start/'] button").click()
    page.wait_for_url("**/attempt/*/")
    attempt = Attempt.objects.get(quiz=quiz, person__user__username="staff")
    items = list(attempt.items.select_related("version").order_by("position"))
    assert len(items) >= 10
    first_half, second_half = items[:5], items[5:]
    for item in first_half:
        with page.expect_response(lambda r: r.url.endswith("/answers") and r.request.method == "PUT") as saved:
            _answer(page, item)
            page.locator(f"#question-{item.pk} legend").click()  # leave the field so text inputs are sent too
        assert saved.value.status == 200
    wait_until(page, "() => !document.getElementById('save-status').textContent.includes('…')", timeout=10000)
    assert sum(1 for i in attempt.items.all() if i.response is not None) >= 5
    # close the tab mid-way, open the quiz again: it resumes with the saved answers
    context = page.context
    page.close()
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})  # and finish it on a phone-sized screen
    page.goto(quiz.url)
    page.locator(f"form[action='{quiz.url}start/'] button").click()
    page.wait_for_url(f"**/attempt/{attempt.pk}/")
    first = _right(first_half[0])[0]
    if first[0] == "check":
        assert page.locator(first[1]).is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 391, "the attempt page scrolls sideways"
    for item in second_half:
        _answer(page, item)
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#submit-attempt").click()
    page.wait_for_selector("#result-heading")
    assert "100%" in page.locator(".score").inner_text()
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.percent == 100 and attempt.passed
    assert page.evaluate("document.documentElement.scrollWidth") <= 391, "the result page scrolls sideways"


def test_the_quiz_page_fits_a_phone_with_matching_selects_and_long_links(phone_page, live_server, transactional_db):
    """Matching selects as wide as their longest option, and long links in stems, pushed the page sideways."""
    from django.utils import timezone

    from assessments.quizzes.models import Attempt
    from assessments.quizzes.services.attempts import attempt_start
    from tests.assessments.quizzes.conftest import make_question, make_quiz
    from tests.courses.conftest import make_course
    from tests.factories import make_person, make_unit

    unit = make_unit("BNG", kind="ministry", name_vi="Bộ Ngoại giao")
    person = make_person("lan", unit)
    person.user.set_password("mật-khẩu-đủ-dài-2026")
    person.user.save()
    course = make_course(title="Khoá học", slug="khoa-hoc", open_access=True)
    long = "Hệ thống quản lý văn bản và điều hành trực tuyến có chữ ký số của Bộ Ngoại giao " * 2
    question = make_question(
        "matching",
        stem='<p>Xem <a href="https://portal.mofa.example/tai-lieu/huong-dan-su-dung-he-thong-quan-ly-van-ban-'
        'va-dieu-hanh-truc-tuyen-phien-ban-2026.pdf">https://portal.mofa.example/tai-lieu/huong-dan-su-dung-he-'
        "thong-quan-ly-van-ban-va-dieu-hanh-truc-tuyen-phien-ban-2026.pdf</a></p>",
        choices=[("Văn bản đến", True, long), ("Văn bản đi", True, "Gửi ra ngoài " + long)],
    )
    quiz = make_quiz(course, questions=[question], slug="kiem-tra")
    attempt, _created = attempt_start(person=person, quiz=quiz, now=timezone.now())
    sign_in(phone_page, "lan", "mật-khẩu-đủ-dài-2026")
    phone_page.goto(quiz.url + f"attempt/{attempt.pk}/")
    assert phone_page.locator(".question select").count() == 2
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Attempt.objects.filter(pk=attempt.pk).exists()
