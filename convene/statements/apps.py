from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "convene.statements"
    label = "statements"

    def ready(self):
        # The hourly jobs (rounds closed at their deadline, reminders before it) and the evaluator
        # of the charter's regular briefings.
        from . import monitoring, panels, reminders  # noqa: F401
