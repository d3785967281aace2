from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage
from tests.courses.conftest import make_catalogue, make_course
from tests.factories import make_admin


class TreeRulesTests(WagtailPageTestCase):
    def test_catalogue_goes_under_the_site_root(self):
        self.assertCanCreateAt(Page, CourseIndexPage)
        self.assertCanNotCreateAt(CourseIndexPage, CourseIndexPage)

    def test_course_only_in_a_catalogue(self):
        self.assertCanCreateAt(CourseIndexPage, CoursePage)
        self.assertCanNotCreateAt(Page, CoursePage)
        self.assertCanNotCreateAt(CoursePage, CoursePage)

    def test_lesson_only_in_a_course(self):
        self.assertCanCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(LessonPage, LessonPage)
        self.assertAllowedSubpageTypes(LessonPage, {})

    def test_course_allows_lessons(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertIn(LessonPage, CoursePage.allowed_subpage_models())


class AdminCreateTests(WagtailPageTestCase):
    def setUp(self):
        self.admin = make_admin()
        self.admin.is_superuser = True
        self.admin.save()
        self.client.force_login(self.admin)
        self.catalogue = make_catalogue()

    def test_create_course_in_admin(self):
        self.assertCanCreate(
            self.catalogue,
            CoursePage,
            nested_form_data(
                {
                    "title": "Hệ thống quản lý văn bản",
                    "slug": "van-ban",
                    "summary": "Văn bản đến, văn bản đi, ký số.",
                    "estimated_hours": "2.5",
                    "level": "beginner",
                    "renew_days_before": "30",
                    "prerequisites": [],
                }
            ),
        )
        course = CoursePage.objects.get(slug="van-ban")
        assert course.estimated_hours == 2.5 and course.get_parent().pk == self.catalogue.pk

    def test_create_lesson_with_streamfield_in_admin(self):
        course = make_course(self.catalogue, title="Portal", slug="portal")
        self.assertCanCreate(
            course,
            LessonPage,
            nested_form_data(
                {
                    "title": "Đăng tin",
                    "slug": "dang-tin",
                    "estimated_minutes": "20",
                    "required": "on",
                    "body": streamfield(
                        [
                            ("heading", {"text": "Mở trình soạn thảo", "level": "h2"}),
                            ("paragraph", rich_text("<p>Chọn <b>Tin mới</b>.</p>")),
                            ("callout", {"kind": "tip", "text": rich_text("<p>Lưu nháp thường xuyên.</p>")}),
                            (
                                "self_check",
                                {
                                    "question": "Ai duyệt tin?",
                                    "choices": streamfield([("item", "Tác giả"), ("item", "Biên tập viên")]),
                                    "correct": "2",
                                    "explanation": "",
                                },
                            ),
                        ]
                    ),
                }
            ),
        )
        lesson = LessonPage.objects.get(slug="dang-tin")
        kinds = [block.block_type for block in lesson.body]
        assert kinds == ["heading", "paragraph", "callout", "self_check"]
        assert lesson.body[3].value["correct"] == 2


def test_course_links_competencies_and_the_engine_finds_it(db):
    from assessments.models import Competency
    from assessments.recommendations import courses_for_competencies

    course = make_course(make_catalogue(), title="An toàn", slug="an-toan")
    competency = Competency.objects.filter(framework__is_current=True).order_by("pk").first()
    assert competency is not None, "the frameworks ship with the assessments migrations"
    course.target_competencies.add(competency)
    course.save()
    assert courses_for_competencies([competency.pk]) == [(competency.pk, course)]
