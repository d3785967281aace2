from django.urls import include, path

urlpatterns: list = [
    path("", include("courses.h5p.urls")),
]
