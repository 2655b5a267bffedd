from django.urls import path

from refairn.training import views

app_name = "training"

_MODULE = "b/<str:business_id>/training/modules/<str:module_id>/"

urlpatterns = [
    path("b/<str:business_id>/training/", views.agent, name="agent"),
    path(_MODULE, views.module, name="module"),
    path(f"{_MODULE}status/", views.status, name="status"),
    path(f"{_MODULE}progress/", views.progress, name="progress"),
    path(f"{_MODULE}section/", views.section, name="section"),
    path(f"{_MODULE}practice/", views.practice, name="practice"),
    path(f"{_MODULE}faq/<str:item_id>/review/", views.faq_review, name="faq_review"),
    path(f"{_MODULE}download/", views.download, name="download"),
]
