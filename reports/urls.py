from django.urls import path

from .views import audit, baseline, dashboard, evaluation, jobs

app_name = "reports"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("units/<int:unit_pk>/staff/", dashboard.staff_list, name="staff"),
    path("units/<int:unit_pk>/reassessments/", dashboard.reassessments, name="reassessments"),
    path("people/<int:pk>/", dashboard.person, name="person"),
    path("audit/", audit.audit_list, name="audit"),
    path("baseline/", baseline.baseline, name="baseline"),
    path("baseline.pdf", baseline.baseline_pdf, name="baseline_pdf"),
    path("evaluations/", evaluation.period_list, name="evaluations"),
    path("evaluations/<int:pk>/", evaluation.period_detail, name="evaluation"),
    path("evaluations/<int:pk>/close", evaluation.period_close, name="evaluation_close"),
    path("evaluations/<int:pk>/reopen", evaluation.period_reopen, name="evaluation_reopen"),
    path("evaluations/<int:pk>/summary.pdf", evaluation.unit_summary_pdf, name="evaluation_summary_pdf"),
    path("evaluations/<int:pk>/people/<int:person_pk>/", evaluation.person_evaluation, name="evaluation_person"),
    path(
        "evaluations/<int:pk>/people/<int:person_pk>.pdf",
        evaluation.person_evaluation_pdf,
        name="evaluation_person_pdf",
    ),
    path("export/<slug:table>.<slug:fmt>", jobs.export, name="export"),
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/new/<slug:table>.<slug:fmt>", jobs.job_create, name="job_create"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job"),
    path("jobs/<int:pk>/status", jobs.job_status, name="job_status"),
    path("jobs/<int:pk>/download", jobs.job_download, name="job_download"),
]
