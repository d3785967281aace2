from django.conf import settings
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
