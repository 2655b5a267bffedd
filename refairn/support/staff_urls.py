"""The business staff's support pages, included by ``urls.py`` under its namespace."""

from django.urls import path

from refairn.support import staff_views

_B = "b/<str:business_id>/"
_CUSTOMER = f"{_B}customers/<str:customer_id>/"

urlpatterns = [
    path(f"{_B}customers/", staff_views.customers, name="customers"),
    path(_CUSTOMER, staff_views.customer, name="customer"),
    path(f"{_CUSTOMER}assign/", staff_views.customer_assign, name="customer_assign"),
    path(f"{_CUSTOMER}unassign/", staff_views.customer_unassign, name="customer_unassign"),
    path(f"{_CUSTOMER}cancel/", staff_views.customer_cancel, name="customer_cancel"),
    path(f"{_B}tickets/", staff_views.tickets, name="tickets"),
]
