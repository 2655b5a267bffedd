from django.urls import path

from refairn.routing import views

app_name = "routing"

urlpatterns = [
    path("b/<str:business_id>/routing/", views.rules, name="rules"),
    path("b/<str:business_id>/routing/template/", views.rules_template, name="rules_template"),
    path("b/<str:business_id>/routing/rule/", views.rule_save, name="rule_save"),
    path(
        "b/<str:business_id>/routing/rule/<int:number>/delete/",
        views.rule_delete,
        name="rule_delete",
    ),
]
