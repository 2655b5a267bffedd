from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "refairn.training"
    label = "training"

    def ready(self) -> None:
        from refairn.programs import settings_sections
        from refairn.training.settings_section import TrainingSection

        settings_sections.register(TrainingSection)
