from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "refairn.training"
    label = "training"

    def ready(self) -> None:
        from refairn.programs import home_panels, settings_sections
        from refairn.training.home import FIRST_TRACK_PANEL
        from refairn.training.settings_section import TrainingSection

        settings_sections.register(TrainingSection)
        home_panels.register(FIRST_TRACK_PANEL)
