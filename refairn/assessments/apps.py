from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "refairn.assessments"
    label = "assessments"
