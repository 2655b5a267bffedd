from django.urls import path, re_path

from refairn.credentials import views

app_name = "credentials"

urlpatterns = [
    path(
        "b/<str:business_id>/credentials/<str:track_id>/",
        views.agent,
        name="agent",
    ),
    re_path(
        r"^b/(?P<business_id>[^/]+)/credentials/(?P<track_id>[^/]+)/credential\.(?P<fmt>jwt|json)$",
        views.download,
        name="download",
    ),
    # Public: no login. A credential's ``id`` is its page's URL (see links.py).
    path("credentials/verify/", views.verify, name="verify"),
    path("credentials/issuers/<uuid:business_id>/", views.issuer, name="issuer"),
    path("credentials/<uuid:credential_id>/", views.public, name="public"),
]
