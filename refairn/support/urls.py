from django.urls import include, path

from refairn.support import views

app_name = "support"

urlpatterns = [
    path("b/<str:business_id>/support/", views.workspace, name="workspace"),
    # The first seed's "[Business] → Certification → Request Support Access".
    path("b/<str:business_id>/certification/support-access/", views.access, name="access"),
    path(
        "b/<str:business_id>/support/unavailability/", views.unavailability, name="unavailability"
    ),
    path("b/<str:business_id>/portal/", views.portal, name="portal"),
    path("b/<str:business_id>/portal/new/", views.new_ticket, name="new_ticket"),
    path("tickets/<str:ticket_id>/", views.ticket, name="ticket"),
    path("tickets/<str:ticket_id>/reply/", views.reply, name="reply"),
    path("tickets/<str:ticket_id>/check/", views.check_reply, name="check_reply"),
    path("tickets/<str:ticket_id>/escalate/", views.escalate, name="escalate"),
    path(
        "tickets/<str:ticket_id>/dismiss-suggestion/",
        views.dismiss_suggestion,
        name="dismiss_suggestion",
    ),
    path("tickets/<str:ticket_id>/resolve/", views.resolve, name="resolve"),
    path("tickets/<str:ticket_id>/reopen/", views.reopen, name="reopen"),
    path("tickets/<str:ticket_id>/pending/", views.pend, name="pend"),
    path("tickets/<str:ticket_id>/resume/", views.resume, name="resume"),
    path("tickets/<str:ticket_id>/note/", views.note, name="note"),
    path("tickets/<str:ticket_id>/reassign/", views.reassign, name="reassign"),
    path("tickets/<str:ticket_id>/rate/", views.rate, name="rate"),
    path("agents/<str:agent_id>/", views.profile, name="profile"),
    # The business staff's support pages (customers and assignments, ticket lists).
    path("", include("refairn.support.staff_urls")),
]
