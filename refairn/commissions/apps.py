from django.apps import AppConfig


class CommissionsConfig(AppConfig):
    name = "refairn.commissions"
    label = "commissions"

    def ready(self) -> None:
        from refairn.commissions.settings_section import CommissionSection
        from refairn.programs import settings_sections

        settings_sections.register(CommissionSection)
