from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "convene.decisions"
    label = "decisions"

    def ready(self):
        # The decision rules' evaluators and the network home's panel of what awaits a position.
        from . import monitoring, panels  # noqa: F401
