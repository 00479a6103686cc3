from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "convene.api"
    label = "api"

    def ready(self):
        from . import schema  # noqa: F401  (registers the bearer token with drf-spectacular)
