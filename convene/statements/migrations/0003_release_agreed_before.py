"""Releases can keep an agreement to make a record public given before Convene recorded them
(the data move is the next migration, apart, so that undoing it commits before this column goes)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("statements", "0002_statements_concerning_the_state")]

    operations = [
        migrations.AddField(
            model_name="release",
            name="agreed_before",
            field=models.CharField(
                blank=True,
                help_text="The agreement to make it public given before Convene recorded agreements.",
                max_length=300,
                verbose_name="agreed before Convene",
            ),
        ),
    ]
