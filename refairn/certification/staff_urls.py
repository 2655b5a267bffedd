"""The business staff's certification pages (one agent's certification and the decisions on it),
included by ``urls.py`` under its namespace."""

from django.urls import path

from refairn.certification import staff_views

_B = "b/<str:business_id>/"
_AGENT = f"{_B}agents/<str:agent_id>/"

urlpatterns = [
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
