from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
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
    list_display = ["title", "kind", "difficulty", "pool", "updated_at"]
    list_filter = ["kind", "difficulty", "pool"]
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


def _override_state(pk) -> dict | None:
    o = QuizOverride.objects.select_related("person", "quiz").filter(pk=pk).first()
    if o is None:
        return None
    return {
        "quiz": o.quiz.title,
        "person": o.person.employee_number,
        "extra_minutes": o.extra_minutes,
        "extra_attempts": o.extra_attempts,
        "closes_at": o.closes_at,
        "note": o.note,
    }


class _AuditsOverride:
    """Extra time or attempts change what a person can score: every change is audited for their unit."""

    def _audit(self, action, override, before, after):
        from reports.services.audit import audit_record

        if before != after:
            audit_record(
                actor=self.request.user,
                action=action,
                target=override.person,
                params={"before": before, "after": after},
                unit=override.person.unit,
            )


class OverrideCreateView(_AuditsOverride, generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        self._audit("quiz.override_create", instance, None, _override_state(instance.pk))
        return instance


class OverrideEditView(_AuditsOverride, generic.EditView):
    def save_instance(self):
        before = _override_state(self.object.pk)
        instance = super().save_instance()
        self._audit("quiz.override_change", instance, before, _override_state(instance.pk))
        return instance


class OverrideDeleteView(_AuditsOverride, generic.DeleteView):
    def delete_action(self):
        before = _override_state(self.object.pk)
        self._audit("quiz.override_delete", self.object, before, None)
        return super().delete_action()


class QuizOverrideViewSet(ModelViewSet):
    model = QuizOverride
    add_view_class = OverrideCreateView
    edit_view_class = OverrideEditView
    delete_view_class = OverrideDeleteView
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
