from django.urls import include, path

from refairn.certification import views

app_name = "certification"

urlpatterns = [
    path("b/<str:business_id>/certification/", views.agent, name="agent"),
    # The business staff's pages (tracks, agents, decisions), in the same namespace.
    path("", include("refairn.certification.staff_urls")),
]
