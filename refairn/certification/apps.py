from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "refairn.certification"
    label = "certification"

    def ready(self) -> None:
        from refairn.certification import reactions
        from refairn.core import events
        from refairn.training.events import TrainingProgressed

        events.subscribe(TrainingProgressed, reactions.on_training_progressed)
