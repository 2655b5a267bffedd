from django.apps import AppConfig


class CommissionsConfig(AppConfig):
    name = "refairn.commissions"
    label = "commissions"
