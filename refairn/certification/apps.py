from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "refairn.certification"
    label = "certification"

    def ready(self) -> None:
        from refairn.certification import reactions
        from refairn.certification.settings_section import CertificationSection
        from refairn.core import events
        from refairn.programs import settings_sections
        from refairn.training.events import TrainingProgressed

        settings_sections.register(CertificationSection)
        events.subscribe(TrainingProgressed, reactions.on_training_progressed)
