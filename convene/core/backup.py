"""Backup and restore of a whole instance: the database's records and the uploaded files, in one
archive that restores into an empty instance on either database (SQLite or PostgreSQL).

The records are Django's serialisation (content types by natural key, so they need not have the same
ids on the other side); the files are copied as they are, from and to the file storage (the local
disk, or an S3-compatible bucket). A restore is all or nothing: it refuses a
database that already holds data, loads every record in one transaction and only then puts the files
in place."""

import datetime
import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions sign everyone out).
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]


def _migrations() -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
    )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def backup(destination: Path, *, now: datetime.datetime | None = None) -> dict:
    """Write the archive (a .tar.gz) and return its manifest: what it holds, and the checksums a
    restore checks it against."""
    records = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, indent=None, stdout=records, verbosity=0)
    data = records.getvalue().encode()
    files = stored_files(default_storage)
    manifest = {
        "format": FORMAT,
        "made_at": (now or datetime.datetime.now(datetime.UTC)).isoformat(),
        "database": connection.vendor,
        "migrations": _migrations(),
        "records": len(json.loads(data)),
        "records_sha256": _digest(data),
        "files": {name: _file_digest(name) for name in files},
    }
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    with tarfile.open(partial, "w:gz") as archive:
        _add(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
        _add(archive, "records.json", data)
        for name in files:
            info = tarfile.TarInfo(f"media/{name}")
            info.size = default_storage.size(name)
            with default_storage.open(name, "rb") as f:
                archive.addfile(info, f)
    partial.replace(destination)  # never a half-written archive under the real name
    return manifest


def stored_files(storage, folder: str = "") -> list[str]:
    """Every file the storage holds (on disk or in a bucket), by name."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # no upload yet: the folder does not exist
        return []
    prefix = f"{folder}/" if folder else ""
    names = [prefix + f for f in files]
    for sub in folders:
        names += stored_files(storage, prefix + sub)
    return sorted(names)


def _file_digest(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def _holds_data() -> bool:
    """Any network or person: what `migrate` sets up by itself (reference lists) is not data."""
    return any(
        apps.get_model(label)._base_manager.exists() for label in ("networks.Network", "accounts.User")
    )


def restore(source: Path) -> dict:
    """Load an archive into this instance's empty database and file storage; nothing changes if
    anything is wrong with it."""
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the `with` below
    except (OSError, tarfile.TarError) as exc:
        raise ValidationError(f"{source} is not a Convene backup: {exc}") from exc
    with archive, tempfile.TemporaryDirectory() as scratch:
        names = set(archive.getnames())
        if not {"manifest.json", "records.json"} <= names:
            raise ValidationError(f"{source} is not a Convene backup: no manifest or records.")
        manifest = json.loads(archive.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT:
            raise ValidationError(
                f"This backup has format {manifest.get('format')}; this Convene reads {FORMAT}."
            )
        unknown = sorted(set(manifest["migrations"]) - set(_migrations()))
        if unknown:
            raise ValidationError(
                "The backup was made by a newer Convene (migrations this one lacks: "
                + ", ".join(unknown[:5])
                + "). Upgrade, run migrate, then restore."
            )
        data = archive.extractfile("records.json").read()
        if _digest(data) != manifest["records_sha256"]:
            raise ValidationError("The records in this backup do not match its checksum: it is damaged.")
        staged = Path(scratch) / "media"
        for name, digest in manifest["files"].items():
            member = f"media/{name}"
            if member not in names or Path(name).is_absolute() or ".." in Path(name).parts:
                raise ValidationError(f"The backup's file {name} is missing or not where it should be.")
            content = archive.extractfile(member).read()
            if _digest(content) != digest:
                raise ValidationError(f"The backup's file {name} does not match its checksum: it is damaged.")
            target = staged / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if _holds_data():
            raise ValidationError(
                "This database already holds data: restore into an empty one (after migrate)."
            )
        records = Path(scratch) / "records.json"
        records.write_bytes(data)
        with transaction.atomic():
            call_command("loaddata", str(records), verbosity=0)
        for path in sorted(p for p in staged.rglob("*") if p.is_file()):
            name = path.relative_to(staged).as_posix()
            if default_storage.exists(name):
                default_storage.delete(name)
            with path.open("rb") as f:
                saved = default_storage.save(name, File(f))
            if saved != name:
                raise ValidationError(f"The storage kept the backup's file {name} as {saved}.")
    return manifest
