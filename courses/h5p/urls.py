from django.urls import path

from . import views

app_name = "h5p"

urlpatterns = [
    path("h5p/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("h5p/activities/<int:pk>/launch", views.launch, name="launch"),
    path("h5p/activities/<int:pk>/state", views.save_state, name="state"),
    path("h5p/activities/<int:pk>/results/", views.results, name="results"),
    path("h5p/activities/<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("h5p/play/<str:token>/", views.player, name="player"),
    path("h5p/play/<str:token>/files/<path:path>", views.package_file, name="file"),
    path("xapi/statements", views.statements, name="statements"),
]
