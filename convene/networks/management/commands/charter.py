"""`manage.py charter load FILE…` and `manage.py charter export NETWORK [-o FILE]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from convene.networks import charter
from convene.networks.models import Network


class Command(BaseCommand):
    help = "Load a network from a charter YAML file, or export a network back to YAML."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Validate and load charter files (all-or-nothing, idempotent).")
        load.add_argument("files", nargs="+", type=Path)
        load.add_argument("--check", action="store_true", help="Only validate; change nothing.")
        load.add_argument("--if-missing", action="store_true", help="Skip a network that already exists.")
        export = sub.add_parser("export", help="Write a network as charter YAML.")
        export.add_argument("network", help="The network's slug, e.g. kenya")
        export.add_argument("-o", "--output", type=Path, help="File to write (default: standard output)")

    def handle(self, *args, **opts):
        if opts["action"] == "load":
            for path in opts["files"]:
                self._load(path, check=opts["check"], if_missing=opts["if_missing"])
        else:
            self._export(opts["network"], opts["output"])

    def _load(self, path: Path, *, check: bool, if_missing: bool):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        try:
            if check:
                charter.parse(text)
                self.stdout.write(f"{path}: valid")
                return
            if if_missing:
                slug = charter.parse(text)["network"]["slug"]
                if Network.objects.filter(slug=slug).exists():
                    self.stdout.write(f"{path}: network {slug} exists, left as it is")
                    return
            result = charter.load(text)
        except charter.CharterError as exc:
            raise CommandError(
                f"{path}: not loaded, {len(exc.errors)} problem(s):\n"
                + "\n".join(f"  {path}:{e}" for e in exc.errors)
            ) from None
        self.stdout.write(
            f"{path}: loaded {result.network.slug} "
            f"({result.created} created, {result.updated} updated, {result.unchanged} unchanged)"
        )

    def _export(self, slug: str, output: Path | None):
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            known = ", ".join(Network.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No network {slug!r} (known: {known}).")
        text = charter.export(network)
        if output:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
