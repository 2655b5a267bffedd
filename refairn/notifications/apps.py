from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "refairn.notifications"
    label = "notifications"

    def ready(self) -> None:
        from refairn.notifications.email_sink import EmailSink
        from refairn.notifications.sinks import register_sink

        register_sink("email", EmailSink())
