from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from assessments.quizzes.models import Question, QuizPage
from courses.models import CourseIndexPage, CoursePage, LessonPage
from tests.courses.conftest import make_catalogue, make_course
from tests.factories import make_admin


class TreeRulesTests(WagtailPageTestCase):
    def test_quiz_only_in_a_course(self):
        self.assertCanCreateAt(CoursePage, QuizPage)
        self.assertCanNotCreateAt(CourseIndexPage, QuizPage)
        self.assertCanNotCreateAt(LessonPage, QuizPage)
        self.assertAllowedSubpageTypes(QuizPage, {})
        self.assertIn(LessonPage, CoursePage.allowed_subpage_models())


class AdminCreateTests(WagtailPageTestCase):
    def setUp(self):
        admin = make_admin()
        admin.is_superuser = True
        admin.save()
        self.client.force_login(admin)
        self.course = make_course(make_catalogue(), title="Portal", slug="portal")

    def test_create_quiz_in_admin(self):
        question = Question.objects.create(kind="true_false", title="TF", stem="<p>?</p>", true_false_answer=True)
        self.assertCanCreate(
            self.course,
            QuizPage,
            nested_form_data(
                {
                    "title": "Kiểm tra",
                    "slug": "kiem-tra",
                    "intro": rich_text("<p>10 phút</p>"),
                    "slots": inline_formset([{"question": question.pk}]),
                    "draws": inline_formset([]),
                    "time_limit_minutes": "10",
                    "max_attempts": "2",
                    "pass_mark": "60",
                    "grading_method": "highest",
                    "review": "4",
                    "shuffle_questions": "on",
                }
            ),
        )
        quiz = QuizPage.objects.get(slug="kiem-tra")
        assert quiz.time_limit_minutes == 10 and quiz.slots.get().question_id == question.pk


class QuestionSnippetAdminTests(WagtailPageTestCase):
    def setUp(self):
        admin = make_admin()
        admin.is_superuser = True
        admin.save()
        self.client.force_login(admin)

    def _post(self, url, **overrides):
        data = {
            "title": "Chữ ký số",
            "kind": "single",
            "stem": rich_text("<p>Thiết bị nào lưu khoá bí mật?</p>"),
            "choices": inline_formset([{"text": "USB token", "is_correct": "on"}, {"text": "Máy in"}]),
            "competency_links": inline_formset([]),
            "numeric_tolerance": "0",
            "general_feedback": rich_text(""),
            "difficulty": "2",
            "points": "1",
            "partial_credit": "on",
            "tags": "ký số",
        }
        data.update(overrides)
        return self.client.post(url, nested_form_data(data))

    def test_creating_and_editing_a_question_in_the_admin_versions_it(self):
        response = self._post("/admin/snippets/quizzes/question/add/")
        assert response.status_code == 302, response.content[:2000]
        question = Question.objects.get(title="Chữ ký số")
        assert question.current_version.number == 1
        assert question.current_version.snapshot["choices"][0]["correct"] is True
        edit = f"/admin/snippets/quizzes/question/edit/{question.pk}/"
        assert self.client.get(edit).status_code == 200

    def test_a_true_false_question_needs_its_answer(self):
        response = self._post("/admin/snippets/quizzes/question/add/", kind="true_false")
        assert response.status_code == 200
        assert not Question.objects.exists()
