from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "convene.api"
    label = "api"
