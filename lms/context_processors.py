from django.conf import settings


def navigation(request):
    return {"LANGUAGES": settings.LANGUAGES, "SITE_NAME": "HocSo"}
