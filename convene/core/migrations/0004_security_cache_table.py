"""The table of the database cache (settings.CACHES), made here so that every database `migrate`
reaches has it: sign-in attempts are counted there, shared by every web server and worker."""

from django.core.management import call_command
from django.db import migrations

TABLE = "convene_cache"  # settings.CACHE_TABLE


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_sentreminder")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
