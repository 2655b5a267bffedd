from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "refairn.credentials"
    label = "credentials"
    verbose_name = "Verifiable credentials"

    def ready(self) -> None:
        from refairn.certification.events import Certified, Revoked
        from refairn.core import events
        from refairn.credentials import reactions

        events.subscribe(Certified, reactions.on_certified)
        events.subscribe(Revoked, reactions.on_revoked)
