from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "refairn.reporting"
    label = "reporting"
