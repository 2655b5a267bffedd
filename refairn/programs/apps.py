from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "refairn.programs"
    label = "programs"

    def ready(self) -> None:
        from refairn.programs import settings_sections
        from refairn.programs.settings_section import ProgramSection

        settings_sections.register(ProgramSection)

        from refairn.accounts.events import EmailVerified
        from refairn.core.events import subscribe
        from refairn.programs.reactions import on_email_verified

        subscribe(EmailVerified, on_email_verified)
