from django.urls import path

from refairn.training import public_views, staff_views, views

app_name = "training"

_MODULE = "b/<str:business_id>/training/modules/<str:module_id>/"
_B = "b/<str:business_id>/"
_TRACK = f"{_B}tracks/<str:track_id>/"

urlpatterns = [
    path("programs/<slug:slug>/", public_views.program, name="program_public"),
    path("b/<str:business_id>/training/", views.agent, name="agent"),
    path(_MODULE, views.module, name="module"),
    path(f"{_MODULE}status/", views.status, name="status"),
    path(f"{_MODULE}progress/", views.progress, name="progress"),
    path(f"{_MODULE}section/", views.section, name="section"),
    path(f"{_MODULE}practice/", views.practice, name="practice"),
    path(f"{_MODULE}faq/<str:item_id>/review/", views.faq_review, name="faq_review"),
    path(f"{_MODULE}download/", views.download, name="download"),
    # The business staff's track pages.
    path(f"{_B}tracks/", staff_views.tracks, name="tracks"),
    path(f"{_B}tracks-template/", staff_views.tracks_template, name="tracks_template"),
    path(_TRACK, staff_views.track, name="track"),
    path(f"{_TRACK}composition/", staff_views.track_composition, name="track_composition"),
    path(f"{_TRACK}action/", staff_views.track_action, name="track_action"),
    path(
        f"{_TRACK}modules/<str:module_id>/action/",
        staff_views.module_action,
        name="module_action",
    ),
    path(
        f"{_TRACK}modules/new/<str:module_format>/",
        staff_views.module_create,
        name="module_create",
    ),
    path(f"{_TRACK}modules/<str:module_id>/edit/", staff_views.module_edit, name="module_edit"),
    path(f"{_TRACK}modules/<str:module_id>/file/", staff_views.module_file, name="module_file"),
    path(
        f"{_TRACK}modules/<str:module_id>/download/",
        staff_views.module_download,
        name="module_download",
    ),
]
