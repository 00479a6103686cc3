from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "convene.reports"
    label = "reports"

    def ready(self):
        # The reporting rule's evaluator (a hook of the networks app).
        from . import monitoring  # noqa: F401
