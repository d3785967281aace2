from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("my-learning/", views.my_learning, name="my_learning"),
    path("catalogue/", views.catalogue_redirect, name="catalogue"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("courses/lessons/<int:lesson_id>/viewed/", views.lesson_viewed_view, name="lesson_viewed"),
    path("courses/lessons/<int:lesson_id>/complete/", views.lesson_complete_view, name="lesson_complete"),
    path("courses/assignments/", views.assignment_list, name="assignment_list"),
    path("courses/assignments/new/", views.assignment_new, name="assignment_new"),
    path("courses/assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("certificates/verify/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>/pdf/", views.certificate_pdf, name="certificate_pdf"),
]
