from django.urls import path

from .views import documents, pages, statements

app_name = "xapi"

urlpatterns = [
    path("xapi/statements", statements.statements, name="statements"),
    path("xapi/statements/more/<str:token>", statements.statements_more, name="statements_more"),
    path("xapi/activities/state", documents.state, name="state"),
    path("xapi/activities/profile", documents.activity_profile, name="activity_profile"),
    path("xapi/activities", documents.activities, name="activities"),
    path("xapi/agents/profile", documents.agent_profile, name="agent_profile"),
    path("xapi/agents", documents.agents, name="agents"),
    path("xapi/about", documents.about, name="about"),
    path("lrs/statements/<uuid:statement_id>/", pages.statement_detail, name="statement_page"),
]
