from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo set-up of `make run`: sits above every capability, since it uses them all."""

    name = "convene.demo"
    label = "demo"
