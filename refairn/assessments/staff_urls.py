"""The staff's assessment pages (the review queue); included from ``assessments/urls.py``."""

from django.urls import path

from refairn.assessments import staff_views

_B = "b/<str:business_id>/"

urlpatterns = [
    path(f"{_B}reviews/", staff_views.reviews, name="reviews"),
    path(f"{_B}reviews/<str:attempt_id>/", staff_views.attempt, name="review_attempt"),
    path(f"{_B}reviews/<str:attempt_id>/grade/", staff_views.grade, name="grade"),
]
