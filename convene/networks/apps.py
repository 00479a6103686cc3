from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NetworksConfig(AppConfig):
    name = "convene.networks"
    label = "networks"

    def ready(self):
        # After every migrate, the UN entities' translated names follow reference/translations/.
        from .registry import refresh_after_migrate

        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="networks.refresh_translations")
