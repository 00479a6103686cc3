from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "convene.reports"
    label = "reports"

    def ready(self):
        # The reporting rule's evaluator (a hook of the networks app); issued reports releasable
        # to the public page (a hook of the statements app).
        from . import monitoring, releases  # noqa: F401
