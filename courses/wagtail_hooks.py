from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lms import policy

from .models import Certificate, CourseAssignment, CourseCompletion, Enrolment


class AdminViewOnlyPolicy(ModelPermissionPolicy):
    """Learner records are written by the services only; administrators list and inspect them in the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and policy.is_admin(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and policy.is_admin(user)

    def users_with_any_permission(self, actions, **kwargs):
        return super().users_with_any_permission(["view"], **kwargs) if "view" in actions else self.model.objects.none()


for _model in (Enrolment, CourseCompletion, Certificate, CourseAssignment):
    register_permission_policy(_model, AdminViewOnlyPolicy(_model))


class ReadOnlyViewSet(ModelViewSet):
    add_to_admin_menu = False
    inspect_view_enabled = True


class EnrolmentViewSet(ReadOnlyViewSet):
    model = Enrolment
    icon = "user"
    menu_label = _("Enrolments")
    list_display = ["person", "course", "status", "source", "due_date", "enrolled_at", "completed_at"]
    list_filter = ["status", "source"]
    search_fields = ["person__full_name", "person__employee_number"]
    form_fields = ["status"]


class CompletionViewSet(ReadOnlyViewSet):
    model = CourseCompletion
    icon = "tick"
    menu_label = _("Completions")
    list_display = ["person", "course", "completed_at"]
    search_fields = ["person__full_name"]
    form_fields = ["completed_at"]


class CertificateViewSet(ReadOnlyViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    list_display = ["code", "full_name", "course", "issued_at", "expires_on"]
    search_fields = ["code", "full_name"]
    form_fields = ["expires_on"]


class AssignmentViewSet(ReadOnlyViewSet):
    model = CourseAssignment
    icon = "date"
    menu_label = _("Assignments")
    list_display = ["course", "due_date", "created_by", "created_at"]
    form_fields = ["due_date"]


class LearningGroup(ModelViewSetGroup):
    menu_label = _("Learning records")
    menu_icon = "tasks"
    items = (EnrolmentViewSet, CompletionViewSet, CertificateViewSet, AssignmentViewSet)


@hooks.register("register_admin_viewset")
def register_learning_records():
    return LearningGroup()


class AssignMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.is_trainer(request.user) or policy.is_hr(request.user)


@hooks.register("register_admin_menu_item")
def register_assign_menu_item():
    return AssignMenuItem(_("Assign training"), reverse("courses:assignment_list"), icon_name="date", order=250)
