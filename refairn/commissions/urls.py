from django.urls import include, path

from refairn.commissions import views

app_name = "commissions"

urlpatterns = [
    path("b/<str:business_id>/commissions/me/", views.statement, name="statement"),
    # The business staff's commissions pages.
    path("", include("refairn.commissions.staff_urls")),
]
