from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "refairn.assessments"
    label = "assessments"

    def ready(self) -> None:
        from refairn.assessments import reactions
        from refairn.core import events
        from refairn.training.events import CompositionSet

        events.subscribe(CompositionSet, reactions.on_composition_set)
