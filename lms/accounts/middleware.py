from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

from .second_factor import SESSION_KEY, SESSION_OK_KEY, has_second_factor, requires_second_factor

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
    A role gained while signed in (an officer made HR by an administrator) is caught on the next request:
    the roles are read per request anyway, and whether the factor exists is asked once and remembered in the
    session. Bearer-token API calls are checked in ``lms.api_auth``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.session_key
            and not session.get(SESSION_KEY)
            and not session.get(SESSION_OK_KEY)
            and requires_second_factor(getattr(request, "user", None))
        ):
            session[SESSION_OK_KEY if has_second_factor(request.user) else SESSION_KEY] = True
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
