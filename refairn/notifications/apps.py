from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "refairn.notifications"
    label = "notifications"
