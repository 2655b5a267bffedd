from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "refairn.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        # notifications never imports this app: the outbox hands events over through its sink
        # registry.
        from refairn.notifications.sinks import register_sink
        from refairn.webhooks.sink import WebhookSink

        register_sink("webhooks", WebhookSink())
