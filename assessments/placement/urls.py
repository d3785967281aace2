from django.urls import path

from . import campaign_views, views

app_name = "placement"

urlpatterns = [
    path("my/placement/", views.my_placement, name="index"),
    path("my/placement/<int:form_id>/start/", views.placement_start, name="start"),
    path("my/placement/session/<int:session_id>/", views.placement_session, name="session"),
    path("placement/results/<int:session_id>/", views.placement_result, name="result"),
    path("placement/campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("placement/campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("placement/campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign"),
]
