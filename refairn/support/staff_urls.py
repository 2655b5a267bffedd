"""The business staff's support pages, included by ``urls.py`` under its namespace."""

from django.urls import path

from refairn.support import staff_agent_views, staff_views

_B = "b/<str:business_id>/"
_CUSTOMER = f"{_B}customers/<str:customer_id>/"
_AGENT = f"{_B}agents/<str:agent_id>/"

urlpatterns = [
    path(f"{_B}agents/", staff_agent_views.agents, name="agents"),
    path(_AGENT, staff_agent_views.agent_detail, name="agent_detail"),
    path(f"{_AGENT}application/", staff_agent_views.agent_application, name="agent_application"),
    path(f"{_AGENT}support-access/", staff_agent_views.support_access, name="support_access"),
    path(f"{_AGENT}warnings/", staff_agent_views.agent_warning, name="agent_warning"),
    path(f"{_AGENT}support-level/", staff_agent_views.support_level, name="support_level"),
    path(
        f"{_AGENT}reviews/<str:review_id>/decide/",
        staff_agent_views.review_decide,
        name="review_decide",
    ),
    path(f"{_B}customers/", staff_views.customers, name="customers"),
    path(_CUSTOMER, staff_views.customer, name="customer"),
    path(f"{_CUSTOMER}assign/", staff_views.customer_assign, name="customer_assign"),
    path(f"{_CUSTOMER}unassign/", staff_views.customer_unassign, name="customer_unassign"),
    path(f"{_CUSTOMER}cancel/", staff_views.customer_cancel, name="customer_cancel"),
    path(f"{_B}tickets/", staff_views.tickets, name="tickets"),
]
