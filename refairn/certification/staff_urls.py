"""The business staff's certification pages, included by ``urls.py`` under its namespace."""

from django.urls import path

from refairn.certification import staff_agent_views, staff_views

_B = "b/<str:business_id>/"
_TRACK = f"{_B}tracks/<str:track_id>/"
_AGENT = f"{_B}agents/<str:agent_id>/"

urlpatterns = [
    path(f"{_B}tracks/", staff_views.tracks, name="tracks"),
    path(f"{_B}tracks-template/", staff_views.tracks_template, name="tracks_template"),
    path(_TRACK, staff_views.track, name="track"),
    path(
        f"{_TRACK}modules/new/<str:module_format>/",
        staff_views.module_create,
        name="module_create",
    ),
    path(f"{_TRACK}modules/<str:module_id>/file/", staff_views.module_file, name="module_file"),
    path(
        f"{_TRACK}modules/<str:module_id>/download/",
        staff_views.module_download,
        name="module_download",
    ),
    path(f"{_TRACK}questions/", staff_views.question_create, name="question_create"),
    path(f"{_TRACK}questions/import/", staff_views.questions_import, name="questions_import"),
    path(f"{_TRACK}questions/export/", staff_views.questions_export, name="questions_export"),
    path(
        f"{_TRACK}questions/<str:question_id>/retire/",
        staff_views.question_retire,
        name="question_retire",
    ),
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
