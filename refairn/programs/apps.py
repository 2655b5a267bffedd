from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "refairn.programs"
    label = "programs"

    def ready(self) -> None:
        from refairn.programs import settings_sections
        from refairn.programs.settings_section import ProgramSection

        settings_sections.register(ProgramSection)
