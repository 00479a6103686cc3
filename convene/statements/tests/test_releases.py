"""Agreed release: a record is public only once its owners agreed (the clearance engine) or a
decision did; the public page shows released records and nothing else; a release can be withdrawn."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from convene.core.models import ChangeLog
from convene.decisions import services as decisions
from convene.library.services import upload_document
from convene.networks.models import Organisation
from convene.statements import releases, services
from convene.statements.models import Clearance, Release, Round, Statement

pytestmark = pytest.mark.clock


@pytest.fixture
def document(kenya):
    return upload_document(
        by=None,
        network=kenya,
        upload=SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief"),
        title="Policy brief",
    )


def test_a_record_is_public_only_once_its_owners_agree(client, kenya, document):
    assert "Policy brief" not in client.get(reverse("statements:public", args=["kenya"])).content.decode()
    release = releases.propose_release(by=None, record=document, summary="Our brief on labour migration.")
    public = reverse("statements:public_release", args=["kenya", release.pk])
    assert client.get(public).status_code == 404  # proposed is not released
    with pytest.raises(ValidationError, match="already proposed"):
        releases.propose_release(by=None, record=document)
    round = releases.put_release_to_clearance(by=None, release=release)
    assert round.body.slug == "executive-committee"  # the body that decides for the network
    services.answer_clearance(
        by=None,
        round=round,
        organisation=Organisation.objects.get(acronym="ILO"),
        answer=Clearance.Answer.CLEARED,
    )
    services.close_due_rounds(round.deadline)
    release.refresh_from_db()
    assert release.status == Release.Status.RELEASED and release.released_at is not None
    page = client.get(reverse("statements:public", args=["kenya"]))
    assert page.status_code == 200 and "Policy brief" in page.content.decode()
    assert "public" in page["Cache-Control"] and "max-age=300" in page["Cache-Control"]
    assert client.get(public).status_code == 200
    file = client.get(reverse("statements:public_file", args=["kenya", release.pk]))
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
    feed = client.get(reverse("statements:public_feed", args=["kenya"]))
    assert feed.status_code == 200 and b"Policy brief" in feed.content and b"<feed" in feed.content

    releases.withdraw_release(by=None, release=release, reason="Superseded by the 2027 brief.")
    assert client.get(public).status_code == 404
    assert "Policy brief" not in client.get(reverse("statements:public", args=["kenya"])).content.decode()
    assert ChangeLog.objects.filter(object_id=str(release.pk), changes__status__1="withdrawn").exists()


def test_an_objection_keeps_it_internal(kenya, document):
    release = releases.propose_release(by=None, record=document)
    round = releases.put_release_to_clearance(by=None, release=release, procedure=Round.Procedure.SILENCE)
    services.answer_clearance(
        by=None,
        round=round,
        organisation=Organisation.objects.get(acronym="UNHCR"),
        answer=Clearance.Answer.OBJECTS,
        comment="Names a person.",
    )
    services.close_round(by=None, round=round, now=round.deadline)
    release.refresh_from_db()
    assert release.status == Release.Status.NOT_AGREED and not releases.is_released(document)


def test_a_decision_can_be_the_agreement(kenya, document):
    proposal = decisions.propose(
        by=None,
        network=kenya,
        body=kenya.bodies.get(slug="executive-committee"),
        title="Publish the brief",
        text="T",
    )
    decisions.close_proposal(by=None, proposal=proposal)
    release = releases.propose_release(by=None, record=document)
    releases.release_by_decision(by=None, release=release, decision=proposal.decision)
    assert releases.is_released(document) and release.decision == proposal.decision


def test_only_approved_minutes_and_issued_statements_are_released(kenya):
    statement = services.draft_statement(
        by=None,
        network=kenya,
        body=kenya.bodies.get(kind="plenary"),
        title="Draft",
        texts={"en": {"text": "Text."}},
        authoritative_language="en",
    )
    with pytest.raises(ValidationError, match="issued statement"):
        releases.propose_release(by=None, record=statement)
    with pytest.raises(ValidationError, match="cannot be released"):
        releases.propose_release(by=None, record=kenya)


def test_a_public_statement_is_released_when_issued_with_its_signatory_line(client, kenya, seat):
    coordinator = seat(kenya, "secretariat", "IOM", role="coordinator")
    statement = services.draft_statement(
        by=None,
        network=kenya,
        body=kenya.bodies.get(kind="plenary"),
        title="World Migrants Day",
        texts={"en": {"text": "We stand together."}, "sw": {"text": "Tunasimama pamoja."}},
        authoritative_language="en",
        audience=Statement.Audience.PUBLIC,
    )
    round = services.put_to_clearance(by=None, statement=statement)
    services.close_round(by=None, round=round, now=round.deadline + datetime.timedelta(seconds=1))
    statement.refresh_from_db()
    services.sign_off(
        by=coordinator, statement=statement, organisation=Organisation.objects.get(acronym="IOM")
    )
    release = releases.live_release(statement)
    assert release.status == Release.Status.RELEASED
    page = client.get(
        reverse("statements:public_release", args=["kenya", release.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = page.content.decode()
    assert "We stand together." in text and kenya.localised("name", "en") in text
    pdf = client.get(reverse("statements:public_file", args=["kenya", release.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.cookies["django_language"] = "sw"
    assert (
        "Tunasimama pamoja." in client.get(page.wsgi_request.path, HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    )


def test_the_public_page_names_organisations_not_people_and_no_working_group(client, kenya, seat):
    seat(kenya, "network", "FAO", email="private.person@fao.test")
    page = client.get(reverse("statements:public", args=["kenya"])).content.decode()
    assert "Food and Agriculture Organization" in page or "FAO" in page
    assert "private.person" not in page and "FAO person" not in page
    assert client.get(reverse("statements:public", args=["nowhere"])).status_code == 404


def test_the_public_page_is_kept_until_the_network_or_the_registry_changes_or_its_date_turns(client, kenya):
    """Rendered once per language and kept (one query for the change counter instead of three);
    a member that leaves, a renamed organisation and a membership ending at midnight show at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from convene.core import audit
    from convene.networks import services as networks

    public = reverse("statements:public", args=["kenya"])
    fao = Organisation.objects.get(acronym="FAO", country="")
    membership = fao.memberships.get(body__network=kenya, body__slug="network", status="active")
    with CaptureQueriesContext(connection) as first:
        assert "(FAO)" in client.get(public).content.decode()
    with CaptureQueriesContext(connection) as kept:
        assert "(FAO)" in client.get(public).content.decode()
    assert len(kept) < len(first)
    assert "Who we are" not in client.get(public, HTTP_ACCEPT_LANGUAGE="fr").content.decode()  # per language

    audit.save_changes(fao, by=None, network_id=None, fields={"acronym": "FAO-UN"})
    assert "(FAO-UN)" in client.get(public).content.decode()  # the shared registry changed

    networks.update_membership(by=None, membership=membership, end_date=kenya.today())
    assert "(FAO-UN)" in client.get(public).content.decode()  # a member until the end of today
    next_day = datetime.datetime.combine(
        kenya.today() + datetime.timedelta(days=1), datetime.time(0, 1), kenya.zone
    )
    with time_machine.travel(next_day, tick=False):
        assert "(FAO-UN)" not in client.get(public).content.decode()


def test_the_public_page_takes_the_same_few_queries_whatever_is_released(
    client, kenya, django_assert_max_num_queries
):
    for n in range(12):
        document = upload_document(
            by=None, network=kenya, upload=SimpleUploadedFile(f"d{n}.pdf", b"%PDF-1.4"), title=f"Doc {n}"
        )
        release = releases.propose_release(by=None, record=document)
        Release.objects.filter(pk=release.pk).update(
            status=Release.Status.RELEASED, released_at=release.created_at
        )
    with django_assert_max_num_queries(8):
        page = client.get(reverse("statements:public", args=["kenya"]))
    assert page.content.decode().count("Doc ") == 12


def test_the_records_that_may_be_proposed_are_listed_by_kind_without_those_already_live(kenya, document):
    proposal = decisions.propose(
        by=None, network=kenya, body=kenya.bodies.get(slug="executive-committee"), title="Adopted", text="T"
    )
    decisions.close_proposal(by=None, proposal=proposal)
    kinds = dict(releases.candidates(kenya))
    assert [title for _ref, title in kinds["Document"]] == ["Policy brief"]
    assert [title for _ref, title in kinds["Decision"]] == [f"{proposal.decision.number} Adopted"]
    releases.propose_release(by=None, record=document)
    assert "Document" not in dict(releases.candidates(kenya))
