"""The staff's question bank pages; included from ``assessments/urls.py``."""

from django.urls import path

from refairn.assessments import bank_views

_B = "b/<str:business_id>/"
_BANK = f"{_B}tracks/<str:track_id>/questions/"

urlpatterns = [
    path(_BANK, bank_views.bank, name="bank"),
    path(f"{_BANK}import/", bank_views.questions_import, name="questions_import"),
    path(f"{_BANK}export/", bank_views.questions_export, name="questions_export"),
    path(f"{_BANK}<str:question_id>/retire/", bank_views.question_retire, name="question_retire"),
]
