from __future__ import annotations

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lms.boundaries.params import digits

from .adapter import language_of as adapter_language_of

MSG_DIRECTORY_DOWN = _(
    "The ministry directory cannot be reached right now, so directory passwords cannot be checked. "
    "Try again in a few minutes; HocSo passwords still work."
)
MSG_DIRECTORY_UNKNOWN = _(
    "Your directory account is not linked to an officer imported into HocSo, so you cannot sign in. "
    "Contact the HR office of your unit."
)


class LoginView(allauth_views.LoginView):
    """The one sign-in page (learners, HR, trainers, the Wagtail admin). A lock-out answers 429 and says how
    long to wait, from the attempt that reaches the limit on. Django's ``login()`` rotates the session key."""

    template_name = "account/login.html"

    def get_context_data(self, **kwargs):
        from .sso import sign_in_options

        context = super().get_context_data(**kwargs)
        context.update(sign_in_options(self.request))
        return context

    def form_invalid(self, form):
        from .directory import NOTICE_DOWN, NOTICE_UNKNOWN, notice_of

        response = super().form_invalid(form)
        notice = notice_of(self.request)
        if notice in (NOTICE_DOWN, NOTICE_UNKNOWN) and not self._locked(form):
            form.errors.clear()
            form.add_error(None, MSG_DIRECTORY_DOWN if notice == NOTICE_DOWN else MSG_DIRECTORY_UNKNOWN)
            return self.render_to_response(
                self.get_context_data(form=form), status=503 if notice == NOTICE_DOWN else 403
            )
        if self._locked(form):
            form.errors.clear()
            form.add_error(None, get_adapter(self.request).error_messages["too_many_login_attempts"])
            response = self.render_to_response(self.get_context_data(form=form), status=429)
        return response

    def _locked(self, form) -> bool:
        if any(error.code == "too_many_login_attempts" for error in form.errors.as_data().get("__all__", [])):
            return True
        login = (form.cleaned_data or {}).get("login") or self.request.POST.get("login", "")
        if not login:
            return False
        adapter = get_adapter(self.request)
        key = adapter._get_login_attempts_cache_key(self.request, username=login.strip())
        return not ratelimit.consume(self.request, action="login_failed", key=key, dry_run=True)


class LogoutView(allauth_views.LogoutView):
    """Sign out with a POST (CSRF-protected); a GET is refused rather than answered with a confirmation page."""

    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        from .oidc.views import provider_logout_url

        provider_url = provider_logout_url(request)  # read before the session ends
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_url) if provider_url else response


@require_http_methods(["GET", "POST", "HEAD"])
def admin_login_redirect(request):
    """Wagtail's own sign-in page would skip the second factor and the throttle: send people to ours."""
    url = reverse("login")
    next_url = request.GET.get("next") or "/admin/"
    return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}")


@login_required
def security(request):
    """The signed-in person's account: password and second factor."""
    from .second_factor import has_second_factor, requires_second_factor

    return render(
        request,
        "accounts/security.html",
        {
            "has_second_factor": has_second_factor(request.user),
            "requires_second_factor": requires_second_factor(request.user),
            "has_password": request.user.has_usable_password(),
        },
    )


class InvitationForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text=_("At least 12 characters; not a common password and not only digits."),
    )
    password2 = forms.CharField(
        label=_("New password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """The link from an invitation e-mail: choose a first password, then sign in (with a second factor if the
    role needs one). Shown in the invitee's language."""
    from .services.invitations import InvitationError, invitation_accept, invitation_check

    try:
        found = invitation_check(token=token)
    except InvitationError as exc:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=410)
    language = adapter_language_of(found.user)
    with translation.override(language):
        form = InvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = invitation_accept(token=token, password=form.cleaned_data["password1"])
            except InvitationError as exc:
                return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=410)
            except ValidationError as exc:
                form.add_error("password1", exc)
            else:
                response = perform_login(request, user, redirect_url=reverse("home"))
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
                return response
        response = render(request, "accounts/invitation.html", {"form": form, "person": found.user.staff_profile})
    # The link is a secret: never pass it to another site ("no-referrer" would make the browser send
    # "Origin: null" with the form, which the CSRF check rightly refuses).
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["POST"])
def invite(request):
    """HR and administrators invite one person (again: ``resend``), or everyone not yet invited in a unit and
    the units below it. Answers with a message on the page it came from."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404
    from django.utils.http import url_has_allowed_host_and_scheme

    from lms import policy
    from lms.models import StaffProfile, Unit

    from .services.invitations import invitations_create

    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("login"))
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if digits(request.POST.get("unit", "")):
        unit = get_object_or_404(Unit, pk=int(request.POST["unit"]))
        if not policy.can(request.user, "accounts.invite", unit):
            raise PermissionDenied
        batch = invitations_create(
            people=StaffProfile.objects.filter(unit__in=Unit.objects.subtree_of(unit)), actor=request.user
        )
    elif digits(request.POST.get("person", "")):
        person = get_object_or_404(StaffProfile.objects.select_related("unit"), pk=int(request.POST["person"]))
        if not policy.can(request.user, "accounts.invite", person):
            raise PermissionDenied
        batch = invitations_create(people=StaffProfile.objects.filter(pk=person.pk), actor=request.user, resend=True)
    else:
        messages.error(request, _("Choose a person or a unit to invite."))
        return HttpResponseRedirect(next_url)
    if batch.invited:
        messages.success(
            request,
            ngettext("%(n)d invitation is on its way.", "%(n)d invitations are on their way.", batch.invited)
            % {"n": batch.invited},
        )
    else:
        messages.info(request, _("Nobody to invite: everyone has joined or already has a valid invitation."))
    return HttpResponseRedirect(next_url)
