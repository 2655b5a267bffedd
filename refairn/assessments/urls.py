from django.urls import include, path

from refairn.assessments import views

app_name = "assessments"

_ATTEMPT = "b/<str:business_id>/attempts/<str:attempt_id>/"

urlpatterns = [
    path(
        "b/<str:business_id>/tracks/<str:track_id>/assessment/start/",
        views.start,
        name="start",
    ),
    path(_ATTEMPT, views.take, name="take"),
    path(f"{_ATTEMPT}answers/<str:question_id>/", views.answer, name="answer"),
    path(f"{_ATTEMPT}submit/", views.submit, name="submit"),
    path(f"{_ATTEMPT}result/", views.result, name="result"),
    # The staff's pages (the review queue), in the same "assessments" namespace.
    path("", include("refairn.assessments.staff_urls")),
]
