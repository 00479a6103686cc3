from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "convene.meetings"
    label = "meetings"
