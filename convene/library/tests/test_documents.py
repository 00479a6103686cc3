"""Documents are internal to the network unless agreed otherwise; restricted ones to a body."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from convene.core.models import ChangeLog
from convene.core.testing import close_response
from convene.decisions import testing as charter_powers
from convene.library import services
from convene.library.models import Document
from convene.library.permissions import can_view_document


def pdf(name="paper.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * size, content_type="application/pdf")


def test_upload_is_internal_by_default_and_audited(kenya, kenya_member, kazakhstan_secretariat):
    doc = services.upload_document(by=None, network=kenya, upload=pdf())
    assert (doc.title, doc.confidentiality, doc.content_type) == ("paper", "internal", "application/pdf")
    assert can_view_document(kenya_member, doc) and not can_view_document(kazakhstan_secretariat, doc)
    assert ChangeLog.objects.filter(content_type__model="document", action="create").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"upload": SimpleUploadedFile("run.exe", b"MZ")}, "Upload a PDF"),
        ({"upload": pdf(size=21 * 1024 * 1024)}, "larger than 20 MB"),
        ({"upload": pdf(), "confidentiality": "restricted"}, "Choose the body"),
        ({"upload": pdf(), "confidentiality": "public"}, "record the agreement"),
    ],
)
def test_bad_uploads_are_refused_and_store_nothing(kenya, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        services.upload_document(by=None, network=kenya, **kwargs)
    assert not Document.objects.exists()


def test_restricted_documents_are_for_the_body_and_the_secretariat(
    kenya, seat, kenya_member, kenya_secretariat
):
    group = charter_powers.establish_working_group(network=kenya, name="TWG")
    doc = services.upload_document(
        by=None, network=kenya, upload=pdf(), confidentiality="restricted", body=group
    )
    assert not can_view_document(kenya_member, doc)
    assert can_view_document(kenya_secretariat, doc)


def test_download_checks_permissions(client, kenya, kenya_member, kazakhstan_secretariat):
    doc = services.upload_document(by=None, network=kenya, upload=pdf(), title="Concept note")
    client.force_login(kenya_member)
    response = client.get(f"/n/kenya/documents/{doc.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    close_response(response)
    assert 'filename="paper.pdf"' in response["Content-Disposition"]
    client.force_login(kazakhstan_secretariat)
    assert client.get(f"/n/kenya/documents/{doc.pk}/").status_code == 404
