from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "refairn.demo"
    label = "demo"
