from django.urls import include, path

from refairn.certification import attempt_views, views

app_name = "certification"

_ATTEMPT = "b/<str:business_id>/attempts/<str:attempt_id>/"

urlpatterns = [
    path("b/<str:business_id>/certification/", views.agent, name="agent"),
    # The agent takes an assessment.
    path(
        "b/<str:business_id>/tracks/<str:track_id>/assessment/start/",
        attempt_views.start,
        name="start",
    ),
    path(_ATTEMPT, attempt_views.take, name="take"),
    path(f"{_ATTEMPT}answers/<str:question_id>/", attempt_views.answer, name="answer"),
    path(f"{_ATTEMPT}submit/", attempt_views.submit, name="submit"),
    path(f"{_ATTEMPT}result/", attempt_views.result, name="result"),
    # The business staff's pages (the review queue, one certification and its decisions).
    path("", include("refairn.certification.staff_urls")),
]
