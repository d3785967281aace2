from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Question, QuestionPool


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["title", "kind", "language", "difficulty", "pool", "updated_at"]
    list_filter = ["kind", "language", "difficulty", "pool"]
    search_fields = ["title", "stem"]


class QuestionPoolViewSet(SnippetViewSet):
    model = QuestionPool
    icon = "folder-open-inverse"
    menu_label = _("Question pools")
    list_display = ["name"]


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
