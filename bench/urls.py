from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from lms.urls import urlpatterns as lms_urlpatterns


def bare(request):
    """The floor: a Django view through the same middleware (session, auth, language) doing no work."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    # For clients that authenticate per request (HTTP Basic) rather than with a session and CSRF token.
    path("bench/bare-post/", csrf_exempt(bare)),
    *lms_urlpatterns,
]
