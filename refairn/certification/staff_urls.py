"""The business staff's certification pages, included by ``urls.py`` under its namespace."""

from django.urls import path

from refairn.certification import staff_agent_views

_B = "b/<str:business_id>/"
_AGENT = f"{_B}agents/<str:agent_id>/"

urlpatterns = [
    path(f"{_B}agents/", staff_agent_views.agents, name="agents"),
    path(_AGENT, staff_agent_views.agent_detail, name="agent_detail"),
    path(f"{_AGENT}application/", staff_agent_views.agent_application, name="agent_application"),
    path(f"{_AGENT}support-access/", staff_agent_views.support_access, name="support_access"),
    path(f"{_AGENT}warnings/", staff_agent_views.agent_warning, name="agent_warning"),
    path(
        f"{_AGENT}reviews/<str:review_id>/decide/",
        staff_agent_views.review_decide,
        name="review_decide",
    ),
    path(
        f"{_AGENT}certifications/<str:track_id>/",
        staff_agent_views.certification_detail,
        name="certification_detail",
    ),
    path(
        f"{_AGENT}certifications/<str:track_id>/<str:action>/",
        staff_agent_views.certification_decide,
        name="certification_decide",
    ),
]
