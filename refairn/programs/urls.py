from django.urls import path

from refairn.programs import joining_views, views

app_name = "programs"

urlpatterns = [
    path("businesses/new/", views.business_new, name="business_new"),
    path("b/<str:business_id>/", views.business, name="business"),
    path("b/<str:business_id>/settings/", views.program_settings, name="settings"),
    path(
        "b/<str:business_id>/agents/<str:agent_id>/approve/",
        views.approve_agent,
        name="approve_agent",
    ),
    path("b/<str:business_id>/people/", joining_views.people, name="people"),
    path(
        "b/<str:business_id>/people/join-link/rotate/",
        joining_views.join_link_rotate,
        name="join_link_rotate",
    ),
    path(
        "b/<str:business_id>/people/invitations/<str:invitation_id>/revoke/",
        joining_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("join/<str:token>/", joining_views.join, name="join"),
    path("programs/<slug:slug>/apply/", joining_views.apply, name="apply"),
    path("invitations/<str:token>/", joining_views.invitation, name="invitation"),
]
