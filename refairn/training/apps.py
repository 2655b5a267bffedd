from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "refairn.training"
    label = "training"
