from django.http import HttpResponse
from django.urls import path

from lms.urls import urlpatterns as lms_urlpatterns


def bare(request):
    """The floor: a Django view through the same middleware (session, auth, language) doing no work."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *lms_urlpatterns]
