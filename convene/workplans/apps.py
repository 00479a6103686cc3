from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WorkplansConfig(AppConfig):
    name = "convene.workplans"
    label = "workplans"

    def ready(self):
        # Adopting a workplan's decision adopts the workplan (a hook of the decisions app); the
        # workplan rules' evaluators (a hook of the networks app).
        from . import monitoring, services  # noqa: F401
        from .reference import refresh_after_migrate

        # After every migrate, the reference lists' translations follow reference/translations/.
        post_migrate.connect(
            refresh_after_migrate, sender=self, dispatch_uid="workplans.refresh_translations"
        )
