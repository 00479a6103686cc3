"""`manage.py backup FILE`: the database's records and the uploaded files in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand

from convene.core import backup


class Command(BaseCommand):
    help = "Write the database's records and the uploaded files to one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", type=Path, help="where to write it, e.g. backups/convene-2027-01-31.tar.gz"
        )

    def handle(self, *args, archive: Path, **options):
        manifest = backup.backup(archive)
        self.stdout.write(f"{archive}: {manifest['records']} records, {len(manifest['files'])} files.")
