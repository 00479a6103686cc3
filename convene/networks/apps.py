from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "convene.networks"
    label = "networks"
