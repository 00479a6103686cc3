"""`manage.py restore FILE`: a backup into this instance's empty database (after `migrate`)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from convene.core import backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty, migrated instance."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            manifest = backup.restore(archive)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Restored {manifest['records']} records and {len(manifest['files'])} files "
            f"(backup of {manifest['made_at']}, from {manifest['database']})."
        )
