from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    name = "convene.workplans"
    label = "workplans"

    def ready(self):
        # Adopting a workplan's decision adopts the workplan (a hook of the decisions app); the
        # workplan rules' evaluators (a hook of the networks app).
        from . import monitoring, services  # noqa: F401
