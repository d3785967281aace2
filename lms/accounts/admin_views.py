from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages

from lms import policy
from lms.models import StaffProfile, Unit

from .models import InvitationState
from .second_factor import has_second_factor, second_factor_reset
from .services.invitations import invitation_states, invitations_create


def second_factor_reset_view(request, user_id: int):
    person = get_object_or_404(get_user_model(), pk=user_id)
    if not policy.can(request.user, "accounts.reset_second_factor", person):
        raise PermissionDenied
    if request.method == "POST":
        removed = second_factor_reset(actor=request.user, user=person)
        if removed:
            messages.success(
                request,
                _("The second factor of %(user)s was removed. They set up a new one at their next sign-in.")
                % {"user": person.get_username()},
            )
        else:
            messages.warning(request, _("%(user)s had no second factor.") % {"user": person.get_username()})
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "accounts/admin/second_factor_reset.html",
        {"person": person, "enrolled": has_second_factor(person)},
    )


class InviteStaffForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit (with the units below it)"),
        queryset=Unit.objects.all(),
        required=False,
        empty_label=_("The whole ministry"),
    )
    include_expired = forms.BooleanField(label=_("Also invite again people whose invitation expired"), required=False)


def invite_staff_view(request):
    """Administrators invite imported staff who cannot sign in yet (as ``manage.py invite_staff``)."""
    if not policy.can(request.user, "accounts.invite", None) or not policy.is_admin(request.user):
        raise PermissionDenied
    form = InviteStaffForm(request.POST or request.GET or None)
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    people = StaffProfile.objects.filter(unit__in=Unit.objects.subtree_of(unit)) if unit else StaffProfile.objects.all()
    if request.method == "POST" and form.is_valid():
        batch = invitations_create(
            people=people, actor=request.user, include_expired=form.cleaned_data["include_expired"]
        )
        messages.success(
            request,
            ngettext("%(n)d invitation is on its way.", "%(n)d invitations are on their way.", batch.invited)
            % {"n": batch.invited},
        )
        return redirect(f"{request.path}?unit={unit.pk if unit else ''}")
    return TemplateResponse(
        request,
        "accounts/admin/invite_staff.html",
        {"form": form, "counts": invitation_states(people.filter(is_active=True)), "states": InvitationState},
    )
