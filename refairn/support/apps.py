from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "refairn.support"
    label = "support"

    def ready(self) -> None:
        from refairn.certification.events import Certified, Expired, Revoked
        from refairn.core import events
        from refairn.programs import home_panels, settings_sections
        from refairn.support import reactions
        from refairn.support.home import AGENT_PANEL, CUSTOMER_PANEL
        from refairn.support.settings_section import SupportSection

        settings_sections.register(SupportSection)
        events.subscribe(Certified, reactions.on_certified)
        events.subscribe(Revoked, reactions.on_revoked)
        events.subscribe(Expired, reactions.on_expired)
        home_panels.register(AGENT_PANEL)
        home_panels.register(CUSTOMER_PANEL)
