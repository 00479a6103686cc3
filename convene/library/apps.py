from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "convene.library"
    label = "library"
