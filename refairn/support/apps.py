from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "refairn.support"
    label = "support"
