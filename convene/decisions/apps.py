from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "convene.decisions"
    label = "decisions"

    def ready(self):
        # The network home's panel of what awaits a position, and the hourly reminder jobs.
        from . import panels, reminders  # noqa: F401
