from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

from .second_factor import SESSION_KEY, has_second_factor, recheck_due

# What someone who must enrol a second factor may still reach: the enrolment pages, signing out and the
# language switch.
ALLOWED_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "logout",
        "set_language",
        "healthz",
    }
)
MSG_ENROL = _("Your role needs a second factor: set up an authenticator app before you continue.")


class SecondFactorRequiredMiddleware:
    """HR and Administrators without a second factor reach only the enrolment page.

    The session says whether this person still has to enrol (decided at sign-in, cleared by enrolling).
    A role gained while signed in (an officer made HR by an administrator) is caught within
    ``SECOND_FACTOR_RECHECK_SECONDS`` (the session is checked again at most that often, so ordinary requests
    still cost no query). Bearer-token API calls are checked in ``lms.api_auth``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and session.session_key and user is not None and user.is_authenticated:
            if not session.get(SESSION_KEY):
                recheck_due(request)
        if session is not None and session.session_key and session.get(SESSION_KEY):
            if has_second_factor(request.user):  # enrolled since (perhaps in another tab)
                session.pop(SESSION_KEY, None)
            else:
                refusal = self._refuse(request)
                if refusal is not None:
                    return refusal
        return self.get_response(request)

    def _refuse(self, request):
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in ALLOWED_URL_NAMES:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": str(MSG_ENROL)}, status=403)
        if request.method in ("GET", "HEAD"):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return render(request, "accounts/second_factor_required.html", status=403)
