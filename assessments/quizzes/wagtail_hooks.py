from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from lms import policy
from lms.search import FoldedSearchSnippetViewSet

from .models import Question, QuestionPool, QuizOverride


class QuestionViewSet(FoldedSearchSnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["title", "kind", "language", "difficulty", "pool", "updated_at"]
    list_filter = ["kind", "language", "difficulty", "pool"]
    search_fields = ["title", "stem"]


class QuestionPoolViewSet(FoldedSearchSnippetViewSet):
    model = QuestionPool
    icon = "folder-open-inverse"
    menu_label = _("Question pools")
    list_display = ["name"]
    search_fields = ["name"]


class QuestionBankGroup(SnippetViewSetGroup):
    menu_label = _("Question bank")
    menu_icon = "help"
    menu_order = 250
    items = (QuestionViewSet, QuestionPoolViewSet)


register_snippet(QuestionBankGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def _version_question(request, instance):
    """Editing a question that learners have seen makes a new version (attempts keep the old one)."""
    if isinstance(instance, Question):
        from .services.versions import question_version_refresh

        question_version_refresh(question=instance)


@hooks.register("register_admin_urls")
def _quiz_admin_urls():
    from django.urls import path

    from . import admin_views

    return [
        path("quizzes/", admin_views.quiz_index, name="quizzes_index"),
        path("quizzes/<int:quiz_id>/", admin_views.quiz_results, name="quizzes_results"),
        path("quizzes/<int:quiz_id>/results.csv", admin_views.quiz_results_csv, name="quizzes_results_csv"),
        path("quizzes/<int:quiz_id>/regrade/", admin_views.quiz_regrade, name="quizzes_regrade"),
        path("quizzes/<int:quiz_id>/items/", admin_views.quiz_items, name="quizzes_items"),
    ]


class _PolicyMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.can(request.user, "quizzes.manage_any")


@hooks.register("register_admin_menu_item")
def _quiz_results_menu_item():
    return _PolicyMenuItem(_("Quiz results"), reverse("quizzes_index"), icon_name="tasks", order=260)


class QuizOverrideViewSet(ModelViewSet):
    model = QuizOverride
    icon = "time"
    menu_label = _("Quiz overrides")
    add_to_admin_menu = True
    menu_order = 261
    list_display = ["quiz", "person", "extra_minutes", "extra_attempts", "closes_at"]
    form_fields = ["quiz", "person", "extra_minutes", "extra_attempts", "closes_at", "note"]
    search_fields = ["person__full_name", "person__employee_number"]


@hooks.register("register_admin_viewset")
def _register_overrides():
    return QuizOverrideViewSet("quiz_overrides")


def _results_button(page, user, priority):
    from wagtail.admin.widgets import Button

    from .models import QuizPage

    if page.specific_class is QuizPage and policy.can(user, "quizzes.manage", page):
        return Button(_("Results"), reverse("quizzes_results", args=[page.pk]), icon_name="tasks", priority=priority)
    return None


@hooks.register("register_page_listing_more_buttons")
def _quiz_results_listing_button(page, user, next_url=None):
    button = _results_button(page, user, 45)
    if button is not None:
        yield button


@hooks.register("register_page_header_buttons")
def _quiz_results_header_button(page, user, view_name, next_url=None):
    button = _results_button(page, user, 45)
    if button is not None:
        yield button
