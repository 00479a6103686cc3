"""Backup and restore: the records and the uploaded files of an instance, restored into an empty
instance (a fresh SQLite file, and a fresh PostgreSQL database when the suite runs on PostgreSQL)
hold the same networks, people, statements, releases and files; a damaged or foreign archive, or a
database already in use, changes nothing."""

import io
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from convene.accounts.models import User
from convene.library.services import upload_document
from convene.networks.models import Network
from convene.statements import releases, services

ROOT = Path(__file__).resolve().parents[3]
PAPER = b"%PDF-1.4 the labour migration brief"
COUNT = (
    "import django; django.setup(); "
    "from convene.networks.models import Network; from convene.accounts.models import User; "
    "from convene.statements.models import Statement, Release; from convene.library.models import Document; "
    "d = Document.objects.get(); r = Release.objects.get(); "
    "print(Network.objects.count(), User.objects.count(), Statement.objects.get().versions.count(), "
    "d.file.read() == {paper!r}, r.record == d, Statement.objects.get().title)"
)


@pytest.fixture
def instance(kenya, kenya_secretariat, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.draft_statement(
        by=kenya_secretariat,
        network=kenya,
        body=kenya.bodies.get(kind="plenary"),
        title="On labour migration",
        texts={"en": {"title": "", "text": "One voice."}, "sw": {"title": "", "text": "Sauti moja."}},
        authoritative_language="en",
    )
    document = upload_document(
        by=kenya_secretariat, network=kenya, upload=SimpleUploadedFile("brief.pdf", PAPER), title="Brief"
    )
    releases.propose_release(by=kenya_secretariat, record=document)
    return kenya


def empty_instance(tmp_path: Path):
    """Environment of a fresh instance on the suite's kind of database, migrated, and its clean-up."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONVENE_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "on"}
    env["CONVENE_MEDIA_ROOT"] = str(tmp_path / "restored-media")
    drop = None
    if connection.vendor == "postgresql":
        import psycopg

        name = f"convene_restore_{uuid.uuid4().hex[:8]}"
        server = connection.settings_dict
        address = f"postgres://{server['USER']}@{server['HOST']}:{server['PORT']}"

        def admin(sql):  # CREATE/DROP DATABASE run outside a transaction, on the server's own database
            with psycopg.connect(f"{address}/postgres", autocommit=True) as maintenance:
                maintenance.execute(sql)

        admin(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{address}/{name}"

        def drop():
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    manage(env, "migrate", "-v0")
    return env, drop


def manage(env, *args, code=None):
    command = ["-c", code] if code else ["manage.py", *args]
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_backup_restores_into_an_empty_instance_with_every_record_and_file(instance, tmp_path):
    archive = tmp_path / "backups" / "convene.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as contents:
        assert {"manifest.json", "records.json"} <= set(contents.getnames())
    env, drop = empty_instance(tmp_path)
    try:
        restored = manage(env, "restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        assert "Restored" in restored.stdout
        counted = manage(env, code=COUNT.format(paper=PAPER))
        assert counted.returncode == 0, counted.stderr
        expected = f"{Network.objects.count()} {User.objects.count()} 1 True True On labour migration"
        assert counted.stdout.strip() == expected
        # A second restore into the same, now used, instance is refused.
        again = manage(env, "restore", str(archive))
        assert again.returncode != 0 and "already holds data" in again.stderr
    finally:
        if drop:
            drop()


def test_files_kept_in_a_bucket_are_backed_up_and_restored_into_another(
    s3_bucket, s3_server, instance, tmp_path
):
    s3, source = s3_bucket
    archive = tmp_path / "convene.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    env, drop = empty_instance(tmp_path)
    target = f"{source}-restored"
    s3.create_bucket(Bucket=target)
    env |= {"CONVENE_S3_BUCKET": target, "CONVENE_S3_ENDPOINT_URL": s3_server}
    try:
        restored = manage(env, "restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=target)["Contents"]]
        assert keys == [o["Key"] for o in s3.list_objects_v2(Bucket=source)["Contents"]]
        counted = manage(env, code=COUNT.format(paper=PAPER))  # the document reads its file from the bucket
        assert counted.returncode == 0, counted.stderr
        assert counted.stdout.split()[3:5] == ["True", "True"]
    finally:
        if drop:
            drop()


def test_a_damaged_archive_is_refused_and_changes_nothing(instance, tmp_path):
    archive = tmp_path / "convene.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "records.json":
                data = data.replace(b"On labour migration", b"On something else!!")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    env, drop = empty_instance(tmp_path)
    try:
        for bad, reason in ((damaged, "damaged"), (tmp_path / "nothing.tar.gz", "not a Convene backup")):
            result = manage(env, "restore", str(bad))
            assert result.returncode != 0 and reason in result.stderr, result.stderr
        counted = manage(
            env,
            code="import django; django.setup(); from convene.networks.models import Network; "
            "print(Network.objects.count())",
        )
        assert counted.stdout.strip() == "0"
        assert not (tmp_path / "restored-media").exists()
    finally:
        if drop:
            drop()


def test_restoring_into_a_database_in_use_is_refused(instance, tmp_path):
    archive = tmp_path / "convene.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive))
