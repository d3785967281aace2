"""Competency frameworks, target profiles, evidence and manual assessment in the Wagtail admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, SnippetViewSetGroup

from lms.search import FoldedSearchSnippetViewSet
from lms.wagtail_hooks import PolicyMenuItem

from . import admin_views, audit
from .models import Competency, CompetencyArea, CompetencyScore, Evidence, Framework, TargetProfile
from .permissions import ReadOnlyPolicy


def _audited_views(state, action: str) -> dict:
    """Create, edit and delete views that audit the change (``state(pk)``: what matters for scores)."""

    class Create(CreateView):
        def save_instance(self):
            instance = super().save_instance()
            audit.record_change(
                actor=self.request.user,
                action=f"{action}_create",
                target=instance,
                before=None,
                after=state(instance.pk),
            )
            return instance

    class Edit(EditView):
        def save_instance(self):
            before = state(self.object.pk)
            instance = super().save_instance()
            audit.record_change(
                actor=self.request.user,
                action=f"{action}_change",
                target=instance,
                before=before,
                after=state(instance.pk),
            )
            return instance

    class Delete(DeleteView):
        def delete_action(self):
            before, label = state(self.object.pk), str(self.object)
            result = super().delete_action()
            audit.record_change(
                actor=self.request.user, action=f"{action}_delete", target=label, before=before, after=None
            )
            return result

    return {"add_view_class": Create, "edit_view_class": Edit, "delete_view_class": Delete}


_FRAMEWORK_VIEWS = _audited_views(audit.framework_state, "competency.framework")
_COMPETENCY_VIEWS = _audited_views(audit.competency_state, "competency.competency")
_PROFILE_VIEWS = _audited_views(audit.profile_state, "competency.target_profile")


class FrameworkViewSet(FoldedSearchSnippetViewSet):
    model = Framework
    add_view_class = _FRAMEWORK_VIEWS["add_view_class"]
    edit_view_class = _FRAMEWORK_VIEWS["edit_view_class"]
    delete_view_class = _FRAMEWORK_VIEWS["delete_view_class"]
    icon = "list-ul"
    menu_label = _("Frameworks")
    list_display = ["code", "version", "name_vi", "name_en", "is_current"]
    list_filter = ["code", "is_current"]
    search_fields = ["code", "name_vi", "name_en"]


class AreaViewSet(FoldedSearchSnippetViewSet):
    model = CompetencyArea
    icon = "folder-open-inverse"
    menu_label = _("Areas")
    list_display = ["framework", "code", "name_vi", "name_en"]
    list_filter = ["framework"]
    search_fields = ["code", "name_vi", "name_en"]


class CompetencyViewSet(FoldedSearchSnippetViewSet):
    model = Competency
    add_view_class = _COMPETENCY_VIEWS["add_view_class"]
    edit_view_class = _COMPETENCY_VIEWS["edit_view_class"]
    delete_view_class = _COMPETENCY_VIEWS["delete_view_class"]
    icon = "tick-inverse"
    menu_label = _("Competencies")
    list_display = ["framework", "code", "name_vi", "name_en", "area"]
    list_filter = ["framework", "area"]
    search_fields = ["code", "name_vi", "name_en", "framework__code"]
    list_per_page = 50


class TargetProfileViewSet(FoldedSearchSnippetViewSet):
    model = TargetProfile
    add_view_class = _PROFILE_VIEWS["add_view_class"]
    edit_view_class = _PROFILE_VIEWS["edit_view_class"]
    delete_view_class = _PROFILE_VIEWS["delete_view_class"]
    icon = "user"
    menu_label = _("Target profiles")
    list_display = ["code", "name_vi", "name_en", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "name_vi", "name_en", "positions"]


class CompetencyGroup(SnippetViewSetGroup):
    menu_label = _("Competencies")
    menu_icon = "tick-inverse"
    menu_order = 310
    items = (FrameworkViewSet, AreaViewSet, CompetencyViewSet, TargetProfileViewSet)


register_snippet(CompetencyGroup)


register_permission_policy(Evidence, ReadOnlyPolicy(Evidence), exact_class=True)
register_permission_policy(CompetencyScore, ReadOnlyPolicy(CompetencyScore), exact_class=True)


class EvidenceViewSet(ModelViewSet):
    model = Evidence
    icon = "doc-full"
    menu_label = _("Evidence")
    add_to_admin_menu = True
    menu_order = 320
    inspect_view_enabled = True
    list_display = ["recorded_at", "person", "competency", "score", "weight", "source", "source_ref", "superseded_at"]
    list_filter = ["source", "self_reported"]
    search_fields = ["source_ref", "person__full_name", "person__employee_number"]
    form_fields = []

    def get_queryset(self, request):
        return Evidence.objects.select_related("person", "competency__framework")


class ScoreViewSet(ModelViewSet):
    model = CompetencyScore
    icon = "pick"
    menu_label = _("Current scores")
    add_to_admin_menu = True
    menu_order = 321
    inspect_view_enabled = True
    list_display = ["person", "competency", "score", "level", "evidence_count", "confidence", "computed_at"]
    list_filter = ["competency__framework"]
    search_fields = ["person__full_name", "person__employee_number"]
    form_fields = []

    def get_queryset(self, request):
        return CompetencyScore.objects.select_related("person", "competency__framework", "level")


@hooks.register("register_admin_viewset")
def register_evidence_viewsets():
    return [EvidenceViewSet("competency_evidence"), ScoreViewSet("competency_scores")]


@hooks.register("register_admin_urls")
def register_manual_assessment_url():
    return [
        path(
            "competencies/manual-assessment/",
            admin_views.manual_assessment_view,
            name="assessments_manual_assessment",
        )
    ]


@hooks.register("register_admin_menu_item")
def manual_assessment_menu_item():
    return PolicyMenuItem(
        _("Record an assessment"),
        reverse("assessments_manual_assessment"),
        icon_name="edit",
        order=315,
        action="competency.assess_manually",
    )
