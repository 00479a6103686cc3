from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "convene.reports"
    label = "reports"
