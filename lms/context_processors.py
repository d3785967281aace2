from django.conf import settings

# The permanent navigation: (section, URL name, label). The section is worked out from the path, so the
# links cost no query; pages a user may not open answer for themselves (no profile, no course...).
_SECTIONS = (
    ("learning", "/my-learning/"),
    ("catalogue", "/learn/"),
    ("catalogue", "/catalogue/"),
    ("competencies", "/my/competencies/"),
    ("reports", "/reports/"),
    ("settings", "/my/settings/"),
)


def navigation(request):
    path = getattr(request, "path", "") or ""
    section = next((name for name, prefix in _SECTIONS if path.startswith(prefix)), "home" if path == "/" else "")
    return {"LANGUAGES": settings.LANGUAGES, "SITE_NAME": "HocSo", "NAV_SECTION": section}
