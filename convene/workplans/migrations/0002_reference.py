from django.db import migrations

from convene.workplans.reference import sync_reference


def seed(apps, schema_editor):
    sync_reference(
        apps.get_model("workplans", "GcmObjective"),
        apps.get_model("workplans", "GuidingPrinciple"),
        apps.get_model("workplans", "SdgTarget"),
    )


class Migration(migrations.Migration):
    dependencies = [("workplans", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
