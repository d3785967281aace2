from django.urls import path

from . import views

app_name = "scorm"

urlpatterns = [
    path("scorm/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("scorm/activities/<int:pk>/launch", views.launch, name="launch"),
    path("scorm/activities/<int:pk>/results/", views.results, name="results"),
    path("scorm/activities/<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("scorm/play/<str:token>/", views.player, name="player"),
    path("scorm/play/<str:token>/commit", views.commit, name="commit"),
    path("scorm/play/<str:token>/files/<path:path>", views.package_file, name="file"),
]
