from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "refairn.certification"
    label = "certification"
