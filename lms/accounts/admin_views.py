from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from lms import policy

from .second_factor import has_second_factor, second_factor_reset


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
