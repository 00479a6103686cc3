"""A document marked "public" with a free-text agreement before releases existed is, after the
migration, internal and released by a Release that keeps the agreement, recorded as migrated; and
the migration can be undone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("statements", "0002_statements_concerning_the_state"), ("library", "0001_initial")]
AFTER = [("statements", "0004_public_documents_become_releases"), ("library", "0002_public_by_release_only")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_public_documents_become_internal_and_released_with_their_agreement(kenya):
    old = migrate(BEFORE)
    Document = old.get_model("library", "Document")
    common = {"network_id": kenya.pk, "filename": "b.pdf", "content_type": "application/pdf", "size": 1}
    public = Document.objects.create(
        title="Policy brief",
        file="documents/b.pdf",
        confidentiality="public",
        public_agreement="Executive Committee, 12 March 2026",
        **common,
    )
    internal = Document.objects.create(title="Notes", file="documents/n.pdf", **common)
    # Public already, and proposed again once releases came: the earlier agreement stands.
    proposed = Document.objects.create(
        title="Fact sheet", file="documents/f.pdf", confidentiality="public", public_agreement="", **common
    )
    ContentType = old.get_model("contenttypes", "ContentType")
    document_type, _created = ContentType.objects.get_or_create(app_label="library", model="document")
    old.get_model("statements", "Release").objects.create(
        network_id=kenya.pk, record_type=document_type, record_id=proposed.pk, title="Fact sheet"
    )

    new = migrate(AFTER)
    Document, Release = new.get_model("library", "Document"), new.get_model("statements", "Release")
    ChangeLog = new.get_model("core", "ChangeLog")
    assert set(Document.objects.values_list("confidentiality", flat=True)) == {"internal"}
    again = Release.objects.get(record_id=proposed.pk)
    assert (again.status, again.agreed_before) == ("released", "")
    release = Release.objects.get(record_id=public.pk)
    assert (release.record_type.model, release.record_id, release.status) == (
        "document",
        public.pk,
        "released",
    )
    assert release.agreed_before == release.summary == "Executive Committee, 12 March 2026"
    assert release.title == "Policy brief" and release.released_at is not None
    log = ChangeLog.objects.get(content_type__model="release", object_id=str(release.pk))
    assert log.changes["migrated"] == [None, "the document's public agreement"] and log.source == "command"
    assert not Release.objects.filter(record_id=internal.pk).exists()

    from convene.library.models import Document as Current
    from convene.statements import releases

    assert releases.is_released(Current.objects.get(pk=public.pk))
    assert not releases.is_released(Current.objects.get(pk=internal.pk))

    back = migrate(BEFORE)
    Document = back.get_model("library", "Document")
    assert Document.objects.get(pk=public.pk).confidentiality == "public"
    assert Document.objects.get(pk=public.pk).public_agreement == "Executive Committee, 12 March 2026"
    assert list(back.get_model("statements", "Release").objects.values_list("record_id", flat=True)) == [
        proposed.pk
    ]
    migrate(AFTER)
