from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "convene.core"
    label = "core"

    def ready(self):
        from . import tasks  # noqa: F401  (connects the task runner's audit context)
