import io

from PIL import Image

from courses import demo_screens
from courses.demo_screens import Step

SIGN = Step(
    platform="documents",
    language="vi",
    task="Ký số một văn bản",
    number=2,
    count=4,
    instruction="<p>Nhấn <b>Ký số</b>, chọn chứng thư của bạn.</p>",
)


def walkthrough_steps(page):
    for block in page.body:
        if block.block_type == "walkthrough":
            yield from block.value["steps"]


def test_one_screen_is_drawn_without_a_database():
    # when
    data = demo_screens.render(SIGN)
    # then: a small PNG of the expected size, drawn (many colours, not one flat background), the same every time
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (demo_screens.WIDTH, demo_screens.HEIGHT) == (1000, 620)
    assert len(data) < 60_000
    assert len(image.convert("RGB").getcolors(maxcolors=256) or []) > 10
    assert demo_screens.render(SIGN) == data


def test_the_step_says_which_element_to_highlight_and_the_alt_text_describes_it():
    assert demo_screens.target(SIGN) == demo_screens.Target("button", "Ký số")
    menu = Step("documents", "vi", "Xử lý", 1, 4, "<p>Mở mục <b>Văn bản đến → Chờ xử lý</b>.</p>")
    assert demo_screens.target(menu) == demo_screens.Target("tab", "Chờ xử lý", menu="Văn bản đến")
    field = Step("portal", "en", "Create", 2, 5, "<p>Enter a short <b>title</b>.</p>")
    assert demo_screens.target(field) == demo_screens.Target("field", "Title")
    alt = demo_screens.alt_text(SIGN)
    assert alt.startswith("Ảnh mô phỏng màn hình Quản lý văn bản và điều hành, bước 2/4")
    assert "Nhấn Ký số, chọn chứng thư của bạn." in alt and "<" not in alt and len(alt) <= 250


def test_every_demo_walkthrough_step_has_a_drawn_screenshot_and_seeding_twice_adds_none(db):
    from wagtail.images import get_image_model

    from courses import demo
    from courses.models import LessonPage
    from lms import demo as lms_demo

    # given
    lms_demo.seed()
    demo.seed()
    images = get_image_model().objects.filter(collection__name=demo.SCREENSHOT_COLLECTION)
    first = images.count()
    # when
    demo.seed()
    # then
    assert images.count() == first > 60
    steps = {lang: 0 for lang in ("vi", "en")}
    for lesson in LessonPage.objects.live().select_related("locale"):
        for step in walkthrough_steps(lesson):
            assert step["screenshot"] is not None, lesson.slug
            assert step["screenshot"].collection.name == demo.SCREENSHOT_COLLECTION
            assert len(step["screenshot_alt"]) > 40
            steps[lesson.locale.language_code] += 1
    assert steps["vi"] == steps["en"] > 30
    english = LessonPage.objects.get(slug="ky-so", locale__language_code="en")
    assert next(walkthrough_steps(english))["screenshot_alt"].startswith("Mock-up of the Document management")
    # and one stored image decodes at its size and is not blank
    image = images.order_by("pk").first()
    assert (image.width, image.height) == (1000, 620)
    with image.open_file() as f:
        pixels = Image.open(f).convert("RGB")
        assert pixels.size == (1000, 620) and len(pixels.getcolors(maxcolors=256) or []) > 10


def test_a_lesson_seeded_before_screenshots_gets_them(db):
    from courses import demo
    from courses.models import LessonPage
    from lms import demo as lms_demo

    # given: a demo lesson whose steps lost their screenshots (as seeded before they existed)
    lms_demo.seed()
    demo.seed()
    lesson = LessonPage.objects.get(slug="ky-so", locale__language_code="vi")
    body = lesson.body.get_prep_value()
    for block in body:
        if block["type"] == "walkthrough":
            for item in block["value"]["steps"]:
                step = item["value"] if item.get("type") == "item" else item
                step["screenshot"], step["screenshot_alt"] = None, ""
    lesson.body = body
    lesson.save_revision().publish()
    # when
    demo.seed()
    # then
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert all(step["screenshot"] and step["screenshot_alt"] for step in walkthrough_steps(lesson))
