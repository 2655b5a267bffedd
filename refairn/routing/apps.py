from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "refairn.routing"
    label = "routing"
