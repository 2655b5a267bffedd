from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "refairn.programs"
    label = "programs"
