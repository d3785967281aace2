from django.urls import path

from . import views
from .sources import views as source_views

app_name = "assessments"

urlpatterns = [
    path("my/competencies/", views.my_competencies, name="my_competencies"),
    path("people/<int:person_id>/competencies/", views.person_competencies, name="person_competencies"),
    path("people/<int:person_id>/evidence/<int:evidence_id>/", source_views.evidence_source, name="evidence_source"),
]
