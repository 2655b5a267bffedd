from django.urls import path

from refairn.programs import views

app_name = "programs"

urlpatterns = [
    path("b/<str:business_id>/", views.business, name="business"),
    path("b/<str:business_id>/settings/", views.program_settings, name="settings"),
    path(
        "b/<str:business_id>/agents/<str:agent_id>/approve/",
        views.approve_agent,
        name="approve_agent",
    ),
]
