from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "convene.meetings"
    label = "meetings"

    def ready(self):
        # The meeting rules' evaluators and the network home's panel of upcoming meetings.
        from . import monitoring, panels  # noqa: F401
