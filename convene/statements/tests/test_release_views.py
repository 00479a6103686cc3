"""Release pages: the Secretariat proposes a record and asks its owners; a seat answers; the
public page then offers it; only the Secretariat acts, members read."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from convene.decisions import services as decisions
from convene.library.services import upload_document
from convene.reports import services as reports
from convene.statements import releases, services
from convene.statements.models import Release, Round

pytestmark = pytest.mark.clock


def test_the_secretariat_proposes_a_document_its_owners_agree_and_the_public_reads_it(
    client, kenya, kenya_secretariat, seat
):
    ilo = seat(kenya, "executive-committee", "ILO")
    document = upload_document(
        by=None, network=kenya, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4"), title="Brief"
    )
    client.force_login(kenya_secretariat)
    choose = client.get(reverse("statements:release_new", args=["kenya"])).content.decode()
    reference = f"library.document:{document.pk}"
    assert reference.replace(":", "%3A") in choose and "Brief" in choose
    response = client.post(
        reverse("statements:release_new", args=["kenya"]),
        {"record": reference, "title": "Policy brief", "summary": "For the public."},
    )
    release = Release.objects.get()
    assert response.url == reverse("statements:release", args=["kenya", release.pk])
    act = reverse("statements:release_act", args=["kenya", release.pk])
    client.post(act, {"action": "clearance", "procedure": "explicit", "deadline": ""})
    round = release.rounds.get()
    assert round.procedure == Round.Procedure.EXPLICIT
    client.force_login(ilo)
    page = client.get(reverse("statements:release", args=["kenya", release.pk])).content.decode()
    assert "Answer for" in page
    assert (
        client.post(act, {"action": "withdraw", "reason": "x"}).status_code == 403
    )  # not the Secretariat's seat
    client.post(
        act,
        {
            "action": "answer",
            "organisation": round.clearances.get(organisation__acronym="ILO").organisation_id,
            "answer": "cleared",
        },
    )
    assert round.clearances.get(organisation__acronym="ILO").answer == "cleared"
    # Another seat the person does not hold: refused.
    unhcr = round.clearances.get(organisation__acronym="UNHCR").organisation_id
    assert (
        client.post(act, {"action": "answer", "organisation": unhcr, "answer": "cleared"}).status_code == 403
    )
    for c in round.clearances.exclude(organisation__acronym="ILO"):
        services.answer_clearance(by=None, round=round, organisation=c.organisation, answer="cleared")
    release.refresh_from_db()
    assert release.status == Release.Status.RELEASED
    client.logout()
    public = client.get(reverse("statements:public_release", args=["kenya", release.pk])).content.decode()
    assert "Policy brief" in public and "For the public." in public


def test_an_issued_report_is_released_with_its_pdf_in_the_readers_language(client, kenya, kenya_secretariat):
    report = reports.create_report(
        by=None,
        network=kenya,
        audience="unct",
        period="year",
        year=kenya.today().year,
        title="Annual report",
        recipients=["r@un.test"],
    )
    version = reports.issue_report(by=None, report=report)
    release = releases.propose_release(by=None, record=version)
    proposal = decisions.propose(
        by=None, network=kenya, body=kenya.bodies.get(slug="executive-committee"), title="Publish", text="T"
    )
    decisions.close_proposal(by=None, proposal=proposal)
    releases.release_by_decision(by=None, release=release, decision=proposal.decision)
    pdf = client.get(reverse("statements:public_file", args=["kenya", release.pk]), HTTP_ACCEPT_LANGUAGE="sw")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Toleo la 1" in text  # Swahili, as the reader asked


def test_members_read_releases_but_do_not_act(client, kenya, kenya_member):
    client.force_login(kenya_member)
    assert client.get(reverse("statements:releases", args=["kenya"])).status_code == 200
    assert client.get(reverse("statements:release_new", args=["kenya"])).status_code == 403


def test_a_deadline_that_is_not_a_date_is_refused_and_nothing_changes(client, kenya, kenya_secretariat):
    document = upload_document(
        by=None, network=kenya, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4"), title="B"
    )
    release = releases.propose_release(by=None, record=document)
    client.force_login(kenya_secretariat)
    act = reverse("statements:release_act", args=["kenya", release.pk])
    page = client.post(
        act, {"action": "clearance", "procedure": "silence", "deadline": "tomorrow"}, follow=True
    )
    assert "Enter a valid date/time." in page.content.decode()
    release.refresh_from_db()
    assert release.status == Release.Status.PROPOSED and not release.rounds.exists()


def test_the_secretariat_records_an_answer_given_by_phone_members_cannot(
    client, kenya, kenya_secretariat, kenya_member
):
    document = upload_document(
        by=None, network=kenya, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4"), title="B"
    )
    release = releases.propose_release(by=None, record=document)
    round = releases.put_release_to_clearance(by=None, release=release)
    unhcr = round.clearances.get(organisation__acronym="UNHCR")
    act = reverse("statements:release_act", args=["kenya", release.pk])
    behalf = {"action": "answer", "behalf-organisation": unhcr.organisation_id, "behalf-answer": "cleared"}
    client.force_login(kenya_member)
    assert client.post(act, {**behalf, "behalf-channel": "phone"}).status_code == 403
    client.force_login(kenya_secretariat)
    page = client.get(reverse("statements:release", args=["kenya", release.pk])).content.decode()
    assert "Record an answer given by e-mail, by phone or in a meeting" in page
    refused = client.post(act, {**behalf, "behalf-channel": "direct"}, follow=True)
    assert "Select a valid choice" in refused.content.decode()
    unhcr.refresh_from_db()
    assert unhcr.answer == ""
    client.post(act, {**behalf, "behalf-channel": "phone"})
    unhcr.refresh_from_db()
    assert (unhcr.answer, unhcr.channel, unhcr.answered_by) == ("cleared", "phone", kenya_secretariat)
    page = client.get(reverse("statements:release", args=["kenya", release.pk])).content.decode()
    assert "Given by phone" in page


def test_an_id_that_is_not_a_number_is_refused_not_a_server_error(client, kenya, kenya_secretariat):
    document = upload_document(
        by=None, network=kenya, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4"), title="B"
    )
    release = releases.propose_release(by=None, record=document)
    client.force_login(kenya_secretariat)
    act = reverse("statements:release_act", args=["kenya", release.pk])
    page = client.post(act, {"action": "decision", "decision": "abc"}, follow=True)
    assert "Choose the decision that agreed to it." in page.content.decode()
    releases.put_release_to_clearance(by=None, release=release)
    assert client.post(act, {"action": "answer", "organisation": "²", "answer": "cleared"}).status_code == 403
    release.refresh_from_db()
    assert release.status == Release.Status.CLEARANCE
    assert not release.rounds.get().clearances.exclude(answer="").exists()
