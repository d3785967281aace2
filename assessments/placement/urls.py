from django.urls import path

from . import views

app_name = "placement"

urlpatterns = [
    path("my/placement/", views.my_placement, name="index"),
    path("my/placement/<int:form_id>/start/", views.placement_start, name="start"),
    path("my/placement/session/<int:session_id>/", views.placement_session, name="session"),
    path("placement/results/<int:session_id>/", views.placement_result, name="result"),
]
