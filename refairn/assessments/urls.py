from django.urls import include, path

app_name = "assessments"

urlpatterns = [
    # The staff's question bank pages.
    path("", include("refairn.assessments.staff_urls")),
]
