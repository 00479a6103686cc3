from django.db import migrations

from convene.networks.registry import sync_un_entities


def seed(apps, schema_editor):
    sync_un_entities(apps.get_model("networks", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
