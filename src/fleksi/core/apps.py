from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fleksi.core"
    label = "core"
