"""The business staff's commissions pages, included by ``urls.py`` under its namespace."""

from django.urls import path

from refairn.commissions import staff_views

_B = "b/<str:business_id>/"

urlpatterns = [
    path(f"{_B}commissions/", staff_views.business, name="business"),
    path(f"{_B}commissions/run/", staff_views.run, name="run"),
    path(f"{_B}commissions.csv", staff_views.export_csv, name="business_csv"),
]
