from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    name = "convene.workplans"
    label = "workplans"

    def ready(self):
        # Adopting a workplan's decision adopts the workplan (a hook of the decisions app).
        from . import services  # noqa: F401
