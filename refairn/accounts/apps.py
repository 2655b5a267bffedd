from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "refairn.accounts"
    label = "accounts"
