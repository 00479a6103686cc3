"""Documents are internal to the network (restricted ones to a body) until their release is agreed;
then anyone reads them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from convene.accounts.models import User
from convene.core.models import ChangeLog
from convene.core.testing import close_response
from convene.decisions import testing as charter_powers
from convene.library import services
from convene.library.models import Document
from convene.library.permissions import can_view_document, visible_documents
from convene.networks import services as network_services
from convene.networks.permissions import access_for
from convene.statements import releases
from convene.statements.models import Release


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
        ({"upload": pdf(), "confidentiality": "public"}, "only once its release is agreed"),
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


def released(document):
    """Release `document` as a decision of the network would (the release engine's own test covers
    the agreement itself)."""
    release = releases.propose_release(by=None, record=document)
    Release.objects.filter(pk=release.pk).update(status=Release.Status.RELEASED, released_at=timezone.now())
    return release


@pytest.mark.parametrize("who", ["other_network", "nobody"])
def test_a_released_document_is_anyones_to_read_and_nothing_else_is(client, kenya, kazakhstan, seat, who):
    reader = {
        "other_network": lambda: seat(kazakhstan, "secretariat", "IOM", role="secretariat"),
        "nobody": lambda: User.objects.create_user(email="nobody@example.org", password="x"),
    }[who]()
    brief = services.upload_document(by=None, network=kenya, upload=pdf("brief.pdf"), title="Brief")
    internal = services.upload_document(by=None, network=kenya, upload=pdf(), title="Internal")
    assert not can_view_document(reader, brief)
    released(brief)
    assert can_view_document(reader, brief) and can_view_document(AnonymousUser(), brief)
    assert not can_view_document(reader, internal)
    client.force_login(reader)
    response = client.get(f"/n/kenya/documents/{brief.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    close_response(response)
    assert client.get(f"/n/kenya/documents/{internal.pk}/").status_code == 404
    assert client.get(f"/n/kazakhstan/documents/{brief.pk}/").status_code == 404  # its own network only


def test_anonymous_visitors_download_released_documents_and_sign_in_for_the_rest(client, kenya):
    brief = services.upload_document(by=None, network=kenya, upload=pdf("brief.pdf"), title="Brief")
    internal = services.upload_document(by=None, network=kenya, upload=pdf(), title="Internal")
    released(brief)
    response = client.get(f"/n/kenya/documents/{brief.pk}/")
    assert response.status_code == 200 and 'filename="brief.pdf"' in response["Content-Disposition"]
    close_response(response)
    for url in (f"/n/kenya/documents/{internal.pk}/", "/n/kenya/documents/999999/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(f"/n/kenya/documents/{brief.pk}/").status_code == 405


def test_a_withdrawn_release_makes_the_document_internal_again(kenya, kenya_member):
    brief = services.upload_document(by=None, network=kenya, upload=pdf("brief.pdf"), title="Brief")
    release = released(brief)
    releases.withdraw_release(by=None, release=release, reason="Out of date.")
    outsider = User.objects.create_user(email="nobody@example.org", password="x")
    assert not can_view_document(outsider, brief) and can_view_document(kenya_member, brief)


def test_a_working_group_partner_sees_released_papers_of_the_network_in_one_query(
    kenya, seat, django_assert_num_queries
):
    group = charter_powers.establish_working_group(network=kenya, name="TWG")
    cso = network_services.create_organisation(by=None, acronym="CSO", name="A CSO", kind="cso", country="KE")
    network_services.add_membership(by=None, body=group, organisation=cso, role="external_partner")
    partner = seat(kenya, group.slug, "CSO", role="external_partner")
    own = services.upload_document(
        by=None, network=kenya, upload=pdf(), confidentiality="restricted", body=group, title="Own"
    )
    papers = [
        services.upload_document(by=None, network=kenya, upload=pdf(), title=f"Paper {n}") for n in range(5)
    ]
    for paper in papers[:2]:
        released(paper)
    access_for(partner, kenya)  # the seats are loaded once per request
    with django_assert_num_queries(1):
        visible = visible_documents(partner, [own, *papers])
    assert [d.title for d in visible] == ["Own", "Paper 0", "Paper 1"]
