from django.apps import AppConfig, apps
from django.db.backends.signals import connection_created
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "convene.core"
    label = "core"

    def ready(self):
        from . import (
            sqlite,
            tasks,  # noqa: F401  (connects the task runner's audit context)
        )

        connection_created.connect(sqlite.install, dispatch_uid="convene-sqlite-like")
        from .validators import refuse_control_characters

        # Every model of Convene's apps a person writes to; core's own (the audit log, the outbox)
        # are written by the system from text already checked.
        for config in apps.get_app_configs():
            if config.name.startswith("convene.") and config.label != "core":
                for model in config.get_models():
                    pre_save.connect(
                        refuse_control_characters,
                        sender=model,
                        dispatch_uid=f"single-line-{model._meta.label}",
                    )
