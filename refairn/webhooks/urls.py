from django.urls import path

from refairn.webhooks import views

app_name = "webhooks"

_B = "b/<str:business_id>/"

urlpatterns = [
    path(f"{_B}webhooks/", views.log, name="log"),
    path(f"{_B}webhooks/<str:endpoint_id>/test/", views.ping, name="ping"),
    path(
        f"{_B}webhooks/<str:endpoint_id>/deliveries/<str:delivery_id>/redeliver/",
        views.redeliver,
        name="redeliver",
    ),
]
