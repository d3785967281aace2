from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import routing, views
from .accounts import views as account_views
from .api_root import api

# Outages (database, Redis) answer 503 with a retry hint; JSON for the API and the intake (lms.boundaries.faults).
handler500 = "lms.boundaries.faults.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("lms.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("my/settings/", views.preferences, name="preferences"),
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("", include("courses.urls")),
    path("", include("assessments.xapi.urls")),  # before h5p: /xapi/statements dispatches to the H5P intake
    path("", include("courses.h5p.urls")),
    path("", include("courses.scorm.urls")),
    path("", include("assessments.urls")),
    path("", include("assessments.placement.urls")),
    path("reports/", include("reports.urls")),
    path("admin/login/", account_views.admin_login_redirect, name="wagtailadmin_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # The demo serves uploads itself (dev settings, DEBUG on or off); production serves them from the proxy.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

# Wagtail's front-end URLs, with its serve view routed through the route cache (lms.routing).
urlpatterns += [
    path(
        "learn/",
        include(
            [
                *(p for p in wagtail_urls.urlpatterns if getattr(p, "name", None) != "wagtail_serve"),
                re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
            ]
        ),
    )
]
