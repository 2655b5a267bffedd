"""The business staff's certification pages (the review queue, one agent's certification and the
decisions on it), included by ``urls.py`` under its namespace."""

from django.urls import path

from refairn.certification import review_views, staff_views

_B = "b/<str:business_id>/"
_AGENT = f"{_B}agents/<str:agent_id>/"

urlpatterns = [
    path(f"{_B}reviews/", review_views.reviews, name="reviews"),
    path(f"{_B}reviews/<str:attempt_id>/", review_views.attempt, name="review_attempt"),
    path(f"{_B}reviews/<str:attempt_id>/grade/", review_views.grade, name="grade"),
    path(
        f"{_AGENT}certifications/<str:track_id>/",
        staff_views.certification_detail,
        name="certification_detail",
    ),
    path(
        f"{_AGENT}certifications/<str:track_id>/<str:action>/",
        staff_views.certification_decide,
        name="certification_decide",
    ),
]
