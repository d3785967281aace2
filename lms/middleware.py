import time

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class PreferredLanguageMiddleware:
    """Pick the interface language: the language cookie, else the person's profile, else Vietnamese.

    Replaces Django's LocaleMiddleware on purpose: the browser's Accept-Language is
    ignored because the ministry's default is Vietnamese whatever the browser says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED:
            language = None
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                profile = getattr(user, "staff_profile", None)
                language = getattr(profile, "language", None)
        language = language if language in SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SessionTouchMiddleware:
    """Slide a signed-in session's expiry at most once per ``SESSION_TOUCH_SECONDS``.

    Stands in for ``SESSION_SAVE_EVERY_REQUEST``: marking the session modified now and then makes
    Django's SessionMiddleware save it with a fresh ``SESSION_COOKIE_AGE``, so the idle timeout
    still holds (to within the touch interval) without a database write on every request.
    """

    KEY = "_hocso_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only sessions this request read anyway (signed-in pages do): never an extra read.
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= settings.SESSION_TOUCH_SECONDS:
                session[self.KEY] = now
        return response


def session_touched_at_login(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: the session saved by the sign-in counts as a touch."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SessionTouchMiddleware.KEY] = int(time.time())


class TimeZoneMiddleware:
    """Show times in the reader's own zone (``lms.timezones``): kept in the session from sign-in.

    Only a request that carries a session cookie reads the session for it (signed-in pages read it
    anyway); anyone else reads the ministry's zone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from zoneinfo import ZoneInfo

        from django.utils import timezone

        from . import timezones

        name = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES and hasattr(request, "session"):
            name = request.session.get(timezones.SESSION_KEY)
            if name is None and request.user.is_authenticated:
                name = timezones.zone_name_for_user(request.user)
                timezones.remember(request, name)
        try:
            timezone.activate(ZoneInfo(name or settings.TIME_ZONE))
        except (ValueError, KeyError, OSError):
            timezone.activate(ZoneInfo(settings.TIME_ZONE))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class CompressionMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH padding) for pages and JSON, except responses that carry an ETag: gzip
    would weaken it (``W/"..."``), and the xAPI document resources compare ETags strongly for their
    ``If-Match`` concurrency check, so a client that accepts gzip would be refused its own update."""

    def process_response(self, request, response):
        if response.has_header("ETag"):
            return response
        return super().process_response(request, response)
