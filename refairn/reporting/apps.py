from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "refairn.reporting"
    label = "reporting"

    def ready(self) -> None:
        from refairn.programs import settings_sections
        from refairn.reporting.settings_section import ReportSection

        settings_sections.register(ReportSection)

        from refairn.programs import home_panels
        from refairn.reporting.home import WORK_QUEUE_PANEL

        home_panels.register(WORK_QUEUE_PANEL)
