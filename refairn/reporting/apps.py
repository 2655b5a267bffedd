from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "refairn.reporting"
    label = "reporting"

    def ready(self) -> None:
        from refairn.programs import settings_sections
        from refairn.reporting.settings_section import ReportSection

        settings_sections.register(ReportSection)
