"""Assessor permissions (who may certify which levels) and the manual assessments, in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from assessments.permissions import ReadOnlyPolicy

from .models import AssessorGrant, ManualAssessment

register_permission_policy(ManualAssessment, ReadOnlyPolicy(ManualAssessment), exact_class=True)


class _AuditsGrant:
    """Who may certify which levels changes what a rating can rest on: every change is audited."""

    def _audit(self, grant, action):
        from reports.services.audit import audit_record

        audit_record(
            actor=self.request.user,
            action=action,
            target=grant.user,
            params={"framework": grant.framework.code, "max_level": grant.max_level.code},
        )


class GrantCreateView(_AuditsGrant, generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        self._audit(instance, "competency.assessor_grant_add")
        return instance


class GrantEditView(_AuditsGrant, generic.EditView):
    def save_instance(self):
        before = AssessorGrant.objects.select_related("framework", "max_level", "user").get(pk=self.object.pk)
        instance = super().save_instance()
        self._audit(before, "competency.assessor_grant_remove")
        self._audit(instance, "competency.assessor_grant_add")
        return instance


class GrantDeleteView(_AuditsGrant, generic.DeleteView):
    def delete_action(self):
        self._audit(self.object, "competency.assessor_grant_remove")
        return super().delete_action()


class AssessorGrantViewSet(ModelViewSet):
    model = AssessorGrant
    add_view_class = GrantCreateView
    edit_view_class = GrantEditView
    delete_view_class = GrantDeleteView
    icon = "key"
    menu_label = _("Assessor permissions")
    add_to_settings_menu = True
    list_display = ["user", "framework", "max_level"]
    form_fields = ["user", "framework", "max_level"]


class ManualAssessmentViewSet(ModelViewSet):
    model = ManualAssessment
    icon = "edit"
    menu_label = _("Manual assessments")
    add_to_settings_menu = True
    inspect_view_enabled = True
    list_display = ["observed_at", "person", "competency", "level", "score", "assessor_name"]
    search_fields = ["person__full_name", "person__employee_number", "assessor_name"]
    form_fields = []

    def get_queryset(self, request):
        return ManualAssessment.objects.select_related("person", "competency", "level")


@hooks.register("register_admin_viewset")
def register_source_viewsets():
    return [AssessorGrantViewSet("assessor_grants"), ManualAssessmentViewSet("manual_assessments")]
