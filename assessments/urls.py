from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("my/competencies/", views.my_competencies, name="my_competencies"),
    path("people/<int:person_id>/competencies/", views.person_competencies, name="person_competencies"),
]
