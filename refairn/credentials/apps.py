from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "refairn.credentials"
    label = "credentials"
    verbose_name = "Verifiable credentials"
