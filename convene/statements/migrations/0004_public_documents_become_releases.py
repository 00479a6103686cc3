"""A library document is public only through a released Release: every document that was marked
"public" with a free-text agreement becomes internal and gets a released Release that keeps that
agreement (`agreed_before`, and the summary), recorded in the audit log as migrated. It runs before
the library drops the field, so the library's migrations need not know the statements app."""

from django.db import migrations
from django.utils import timezone


def public_documents_to_releases(apps, schema_editor):
    Document = apps.get_model("library", "Document")
    public = list(Document.objects.filter(confidentiality="public"))
    if not public:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Release = apps.get_model("statements", "Release")
    Round = apps.get_model("statements", "Round")
    ChangeLog = apps.get_model("core", "ChangeLog")
    document_type, _created = ContentType.objects.get_or_create(app_label="library", model="document")
    release_type, _created = ContentType.objects.get_or_create(app_label="statements", model="release")
    now = timezone.now()
    for document in public:
        agreement = (document.public_agreement or "").strip()[:300]
        release = Release.objects.filter(
            record_type=document_type,
            record_id=document.pk,
            status__in=["proposed", "clearance", "released"],
        ).first()
        if release is None:
            release = Release(
                network_id=document.network_id,
                record_type=document_type,
                record_id=document.pk,
                title=document.title[:300],
                summary=agreement,
            )
        elif release.status != "released":
            # Proposed again in Convene although already agreed: the earlier agreement stands.
            Round.objects.filter(release=release, outcome="").update(outcome="voided", closed_at=now)
        before = release.status if release.pk else None
        release.status = "released"
        release.released_at = release.released_at or document.updated_at or now
        release.agreed_before = agreement
        release.save()
        Document.objects.filter(pk=document.pk).update(confidentiality="internal", body=None)
        ChangeLog.objects.create(
            network_id=document.network_id,
            action="create" if before is None else "update",
            source="command",
            content_type=release_type,
            object_id=str(release.pk),
            object_repr=release.title[:200],
            changes={
                "status": [before, "released"],
                "agreed_before": [None, agreement],
                "migrated": [None, "the document's public agreement"],
            },
        )


def releases_to_public_documents(apps, schema_editor):
    """Back: the documents released by an agreement given before Convene are public again."""
    Release = apps.get_model("statements", "Release")
    Document = apps.get_model("library", "Document")
    migrated = Release.objects.filter(
        record_type__app_label="library", record_type__model="document", status="released"
    ).exclude(agreed_before="")
    for release in migrated:
        Document.objects.filter(pk=release.record_id).update(
            confidentiality="public", public_agreement=release.agreed_before
        )
    migrated.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0006_outboundemail_language_parts"),
        ("library", "0001_initial"),
        ("statements", "0003_release_agreed_before"),
    ]
    # The documents' agreements are read before the library drops them.
    run_before = [("library", "0002_public_by_release_only")]

    operations = [migrations.RunPython(public_documents_to_releases, releases_to_public_documents)]
