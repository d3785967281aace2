from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import policy, timezones
from .errors import PreferencesError
from .forms import PreferencesForm
from .models import StaffProfile
from .services.profiles import profile_preferences_update


@login_required
def home(request):
    profile = policy.profile_of(request.user)
    return render(
        request,
        "lms/home.html",
        {
            "profile": profile,
            "can_report": policy.can(request.user, "reports.access"),
            "can_author": policy.can(request.user, "courses.author"),
            "hr_roots": policy.hr_roots(request.user),
        },
    )


@login_required
def preferences(request):
    """The signed-in person's own language and time zone."""
    profile = policy.profile_of(request.user)
    if profile is None:
        return render(request, "lms/preferences.html", {"form": None, "profile": None})
    unit_zone = profile.unit.time_zone or settings.TIME_ZONE
    initial = {"language": profile.language, "time_zone": profile.time_zone}
    form = PreferencesForm(request.POST or None, initial=initial, unit_zone=unit_zone)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                profile_preferences_update(
                    profile=profile, language=form.cleaned_data["language"], time_zone=form.cleaned_data["time_zone"]
                )
            except PreferencesError as exc:
                for field, message in exc.fields.items():
                    form.add_error(field, message)
            else:
                timezones.remember(request, timezones.zone_name_for(profile))
                messages.success(request, _("Your settings are saved."))
                response = HttpResponseRedirect(reverse("preferences"))
                _remember_language(request, response, profile.language)
                return response
        status = 400
    return render(
        request, "lms/preferences.html", {"form": form, "profile": profile, "now_moment": timezone.now()}, status=status
    )


def _remember_language(request, response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )


@require_POST
def set_language(request):
    """Switch the interface language (a POST with CSRF); remembered in a cookie and the profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("Unknown language."))
        return response
    _remember_language(request, response, language)
    if request.user.is_authenticated:
        StaffProfile.objects.filter(user=request.user).update(language=language)
    return response


@never_cache
@require_GET
def healthz(request):
    database = "ok"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "down"
        database = "down"
    broker = _broker_state()
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "degraded", "database": database, "broker": broker}, status=status
    )


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from .celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # noqa: BLE001
        return "down"
