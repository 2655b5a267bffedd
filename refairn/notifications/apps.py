from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "refairn.notifications"
    label = "notifications"

    def ready(self) -> None:
        from refairn.notifications.email_sink import EmailSink
        from refairn.notifications.sinks import register_sink

        register_sink("email", EmailSink())

        from refairn.core.metrics import scrape_collector_add
        from refairn.notifications.metrics import OutboxCollector

        scrape_collector_add(OutboxCollector())
