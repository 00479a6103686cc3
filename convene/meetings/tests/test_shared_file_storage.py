"""Papers in an S3-compatible bucket (CONVENE_S3_BUCKET), as every web server shares them: uploaded
through the agenda page, kept in the bucket and not on the server's disk, read back through the
pages that check who may read; a paper missing from the storage is a 404, never a 500."""

import io
import logging
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from convene.library.models import Document
from convene.meetings import services

PAPER = b"%PDF-1.4 draft workplan"


@pytest.fixture
def secretariat(kenya_secretariat):
    client = Client()
    client.force_login(kenya_secretariat)
    return client


def upload_paper(secretariat, quarterly):
    item = services.add_agenda_item(by=None, meeting=quarterly, title="Workplan")
    url = reverse("meetings:agenda_item_paper", args=["kenya", quarterly.pk, item.pk])
    upload = SimpleUploadedFile("workplan-2027.pdf", PAPER, content_type="application/pdf")
    response = secretariat.post(
        url, {"file": upload, "title": "Draft workplan", "confidentiality": "internal"}
    )
    assert response.status_code == 302
    return Document.objects.get(title="Draft workplan")


def test_a_paper_is_kept_in_the_bucket_and_read_back_through_the_pages(
    s3_bucket, settings, secretariat, client, quarterly, kenya_member
):
    s3, bucket = s3_bucket
    paper = upload_paper(secretariat, quarterly)
    [stored] = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert stored["Key"] == paper.file.name and stored["Size"] == len(PAPER)
    assert not (settings.MEDIA_ROOT).exists()  # nothing on this server's disk
    client.force_login(kenya_member)
    download = client.get(reverse("library:download", args=["kenya", paper.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PAPER
    pack = client.get(reverse("meetings:pack", args=["kenya", quarterly.pk]))
    assert zipfile.ZipFile(io.BytesIO(pack.content)).read("papers/01-workplan-2027.pdf") == PAPER


def test_a_paper_missing_from_the_bucket_is_a_404_and_a_warning(
    s3_bucket, secretariat, client, quarterly, kenya_member, caplog
):
    s3, bucket = s3_bucket
    paper = upload_paper(secretariat, quarterly)
    s3.delete_object(Bucket=bucket, Key=paper.file.name)
    client.force_login(kenya_member)
    with caplog.at_level(logging.WARNING, logger="convene.core.files"):
        response = client.get(reverse("library:download", args=["kenya", paper.pk]))
    assert response.status_code == 404
    assert f"Stored file '{paper.file.name}' is missing" in caplog.text
    pack = client.get(reverse("meetings:pack", args=["kenya", quarterly.pk]))
    assert pack.status_code == 200  # the pack still has the agenda, without the missing paper
    assert "papers/01-workplan-2027.pdf" not in zipfile.ZipFile(io.BytesIO(pack.content)).namelist()


def test_a_paper_missing_from_the_disk_is_a_404_too(settings, secretariat, client, quarterly, kenya_member):
    paper = upload_paper(secretariat, quarterly)
    (settings.MEDIA_ROOT / paper.file.name).unlink()
    client.force_login(kenya_member)
    assert client.get(reverse("library:download", args=["kenya", paper.pk])).status_code == 404
