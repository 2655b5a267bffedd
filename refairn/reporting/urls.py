from django.urls import path

from refairn.reporting import audit_views, quarterly_views, queue_views, views

app_name = "reporting"

_B = "b/<str:business_id>/"

urlpatterns = [
    path(f"{_B}dashboard/", views.dashboard, name="dashboard"),
    path(f"{_B}dashboard.txt", views.dashboard_text, name="dashboard_text"),
    path(f"{_B}dashboard/<str:table>.csv", views.dashboard_csv, name="dashboard_csv"),
    path(f"{_B}quarterly.txt", views.quarterly_text, name="quarterly_text"),
    path(f"{_B}quarterly/", quarterly_views.quarterly, name="quarterly"),
    path(
        f"{_B}dashboard/difficult-questions/",
        quarterly_views.difficult_questions,
        name="difficult_questions",
    ),
    path(f"{_B}quarterly.pdf", quarterly_views.quarterly_pdf, name="quarterly_pdf"),
    path(f"{_B}queue/count/", queue_views.work_queue_badge, name="work_queue_badge"),
    path(f"{_B}audit-log/", audit_views.audit_log, name="audit_log"),
]
