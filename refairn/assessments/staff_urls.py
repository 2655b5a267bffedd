"""The staff's assessment pages (question banks, the review queue); included from
``assessments/urls.py``."""

from django.urls import path

from refairn.assessments import bank_views, staff_views

_B = "b/<str:business_id>/"
_BANK = f"{_B}tracks/<str:track_id>/questions/"

urlpatterns = [
    path(_BANK, bank_views.bank, name="bank"),
    path(f"{_BANK}import/", bank_views.questions_import, name="questions_import"),
    path(f"{_BANK}export/", bank_views.questions_export, name="questions_export"),
    path(f"{_BANK}<str:question_id>/retire/", bank_views.question_retire, name="question_retire"),
    path(f"{_B}reviews/", staff_views.reviews, name="reviews"),
    path(f"{_B}reviews/<str:attempt_id>/", staff_views.attempt, name="review_attempt"),
    path(f"{_B}reviews/<str:attempt_id>/grade/", staff_views.grade, name="grade"),
]
