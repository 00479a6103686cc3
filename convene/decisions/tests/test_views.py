"""The pages end to end through the test client: propose, take positions, close, escalate, the
register with its filters and exports, action items and monitoring."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from convene.decisions import services
from convene.decisions.models import ActionItem, Decision, Position, Proposal
from convene.networks.models import Organisation

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


def url(name, *args):
    return reverse(f"decisions:{name}", args=["kenya", *args])


def test_the_secretariat_puts_a_proposal_to_the_executive_committee(client, kenya, kenya_secretariat, ec):
    client.force_login(kenya_secretariat)
    page = client.get(url("proposal_new"))
    assert page.status_code == 200 and "Executive Committee decides this" in page.content.decode()
    ec_body = kenya.bodies.get(slug="executive-committee")
    response = client.post(
        url("proposal_new"),
        {"title": "Advocacy note", "text": "Adopt the note.", "body": ec_body.pk, "procedure": "meeting"},
    )
    proposal = Proposal.objects.get()
    assert response.url == url("proposal", proposal.pk)
    detail = client.get(response.url).content.decode()
    assert "Not yet responded" in detail and "UNDESA" in detail


def test_a_written_procedure_without_deadline_shows_the_error_and_creates_nothing(
    client, kenya, kenya_secretariat
):
    client.force_login(kenya_secretariat)
    ec_body = kenya.bodies.get(slug="executive-committee")
    response = client.post(
        url("proposal_new"), {"title": "T", "text": "X", "body": ec_body.pk, "procedure": "written"}
    )
    assert response.status_code == 200 and "needs a deadline" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_representative_gives_the_position_of_their_organisation_in_place(client, propose, ec):
    proposal = propose()
    client.force_login(ec["UNICEF"])
    page = client.get(url("proposal", proposal.pk)).content.decode()
    assert "UNICEF has not yet given its position" in page
    response = client.post(
        url("position", proposal.pk),
        {"organisation": org("UNICEF").pk, "stance": "object", "reason": "Child protection"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'id="positions"' in fragment and "<html" not in fragment and "Child protection" in fragment
    assert Position.objects.get().channel == "direct"


def test_a_representative_cannot_speak_for_another_organisation(client, propose, ec):
    proposal = propose()
    client.force_login(ec["UNICEF"])
    client.post(url("position", proposal.pk), {"organisation": org("ILO").pk, "stance": "agree"})
    assert not Position.objects.exists()


def test_a_member_outside_the_deciding_body_cannot_take_a_position(client, propose, kenya_member):
    proposal = propose()
    client.force_login(kenya_member)
    response = client.post(url("position", proposal.pk), {"organisation": org("FAO").pk, "stance": "agree"})
    assert response.status_code == 403 and not Position.objects.exists()
    assert client.get(url("proposal", proposal.pk)).status_code == 200  # members read


def test_the_secretariat_records_a_position_given_by_email_and_escalates_to_the_unct(
    client, kenya, propose, kenya_secretariat, ec
):
    proposal = propose()
    client.force_login(kenya_secretariat)
    client.post(
        url("position", proposal.pk),
        {"organisation": org("UNHCR").pk, "stance": "object", "reason": "Protection", "channel": "email"},
    )
    position = Position.objects.get()
    assert (position.channel, position.recorded_by) == ("email", kenya_secretariat)
    client.post(url("proposal_close", proposal.pk))
    proposal.refresh_from_db()
    assert proposal.status == "escalated"
    today = kenya.today().isoformat()
    response = client.post(
        url("escalation", proposal.pk),
        {
            "tabled_on": today,
            "unct_meeting_note": "UNCT HoA retreat",
            "outcome": "adopted",
            "decided_on": today,
            "unct_decision": "Endorsed with amendments",
        },
    )
    assert response.status_code == 302
    assert Decision.objects.get().adopted_by == "unct"


def test_only_the_secretariat_closes(client, propose, ec):
    proposal = propose()
    client.force_login(ec["ILO"])
    assert client.post(url("proposal_close", proposal.pk)).status_code == 403
    assert Proposal.objects.get().status == "open"


def test_closing_with_a_missing_consultation_says_why(client, kazakhstan, kazakhstan_secretariat, propose):
    proposal = propose(network=kazakhstan, consultations=list(kazakhstan.rules.filter(kind="consultation")))
    client.force_login(kazakhstan_secretariat)
    path = reverse("decisions:proposal_close", args=["kazakhstan", proposal.pk])
    page = client.post(path, follow=True).content.decode()
    assert "mandatory consultation is missing" in page
    assert Proposal.objects.get().status == "open"


def _adopted(propose, by, **fields):
    proposal = propose(**fields)
    services.close_proposal(by=by, proposal=proposal)
    return Decision.objects.get(proposal=proposal)


def test_the_register_filters_and_exports(client, propose, kenya_secretariat, kenya_member):
    first = _adopted(propose, kenya_secretariat, title="Workplan 2027", topic="Workplan")
    _adopted(propose, kenya_secretariat, title="Replace the workplan", topic="Workplan", supersedes=first)
    _adopted(propose, kenya_secretariat, title="Data sharing protocol", topic="Data")
    client.force_login(kenya_member)
    page = client.get(url("register"), {"q": "protocol"}).content.decode()
    assert "Data sharing protocol" in page and "Workplan 2027" not in page
    page = client.get(url("register"), {"status": "superseded"}).content.decode()
    assert "Workplan 2027" in page and "Data sharing" not in page
    page = client.get(url("register"), {"year": "1999"}).content.decode()
    assert "No decision matches" in page
    assert page.count("<option>Workplan</option>") == 1  # a topic offered once, however many decisions

    xlsx = client.get(url("register_xlsx"), {"topic": "Workplan"})
    today = first.network.today().isoformat()
    assert xlsx["Content-Disposition"] == f'attachment; filename="kenya-decisions-{today}.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Number" and len(rows) == 3
    assert rows[1][-1] == Decision.objects.get(title="Replace the workplan").number  # superseded by
    header = list(rows[0])
    assert rows[1][header.index("Status")] == "Superseded" and rows[2][header.index("Status")] == "In force"
    assert rows[2][header.index("Supersedes")] == first.number and rows[1][header.index("Supersedes")] is None
    assert rows[1][header.index("Body")] == str(first.body.tr.name)
    adopted = sheet.cell(2, header.index("Adopted on") + 1)
    assert adopted.is_date and adopted.number_format == "yyyy-mm-dd"  # a date, never text
    assert adopted.value.date() == first.network.today(first.adopted_at)
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == "A1:L3"
    assert int(sheet.column_dimensions["C"].width) == 70 and sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1" and sheet.sheet_properties.pageSetUpPr.fitToPage

    pdf = client.get(url("register_pdf"))
    assert pdf["Content-Disposition"] == f'attachment; filename="kenya-decisions-{today}.pdf"'
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Register of decisions" in text and first.number in text and "Data sharing protocol" in text


def test_the_register_pdf_is_a_table_whose_header_repeats_on_every_page(client, propose, kenya_secretariat):
    long_text = "The Network agrees to coordinate its members' work on this matter. " * 12
    decisions = [
        _adopted(propose, kenya_secretariat, title=f"Decision on matter {n}", text=long_text, topic="Data")
        for n in range(14)
    ]
    services.close_proposal(
        by=kenya_secretariat,
        proposal=services.propose(
            by=kenya_secretariat,
            network=decisions[0].network,
            body=decisions[0].body,
            title="Amend matter 0",
            text="Amended.",
            amends=decisions[0],
        ),
    )
    client.force_login(kenya_secretariat)
    pages = PdfReader(io.BytesIO(client.get(url("register_pdf")).content)).pages
    assert len(pages) >= 2
    for page in pages:
        text = page.extract_text()
        # Number, title, body, adopted on, how adopted, status and links: the header row, on every page.
        for column in ("Number", "Title", "Body", "Adopted on", "How adopted", "Status"):
            assert column in text, (column, text[:200])
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    amending = Decision.objects.get(title="Amend matter 0")
    assert f"Amended by: {amending.number}" in text and f"Amends: {decisions[0].number}" in text
    assert text.count("In force") == 14 and "Consensus" in text


def test_action_items_from_a_decision_progress_and_comments(
    client, kenya, propose, kenya_secretariat, ec, kenya_member
):
    decision = _adopted(propose, kenya_secretariat)
    client.force_login(kenya_secretariat)
    due = (kenya.today() + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        url("action_new"),
        {
            "title": "Draft the note",
            "owner_organisation": org("ILO").pk,
            "owner": ec["ILO"].pk,
            "due_date": due,
            "decision": decision.number,
        },
    )
    action = ActionItem.objects.get()
    assert action.decision == decision and response.url == url("action", action.pk)

    client.force_login(ec["ILO"])
    mine = client.get(url("actions"), {"mine": "1"}).content.decode()
    assert "Draft the note" in mine
    client.post(
        url("action", action.pk), {"kind": "progress", "text": "First draft shared", "status": "done"}
    )
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == kenya.today()

    client.force_login(kenya_member)
    assert (
        client.post(url("action", action.pk), {"kind": "progress", "text": "x", "status": "open"}).status_code
        == 403
    )
    client.post(url("action", action.pk), {"kind": "comment", "text": "Thanks, well done"})
    page = client.get(url("action", action.pk)).content.decode()
    assert "First draft shared" in page and "Thanks, well done" in page


def test_an_unknown_decision_number_is_refused_on_the_form(client, kenya_secretariat):
    client.force_login(kenya_secretariat)
    response = client.post(
        url("action_new"),
        {
            "title": "X",
            "owner_organisation": org("ILO").pk,
            "due_date": "2030-01-01",
            "decision": "KEN/1999/999",
        },
    )
    assert "No decision KEN/1999/999" in response.content.decode() and not ActionItem.objects.exists()


def test_an_action_item_from_the_minutes_points_at_its_meeting(client, kenya, kenya_secretariat):
    from convene.meetings import services as meetings

    start = timezone.now() - datetime.timedelta(days=2)
    meeting = meetings.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q3 plenary",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    meetings.add_agenda_item(by=None, meeting=meeting, title="Data working paper")
    item = meetings.start_minutes(by=None, meeting=meeting).items.get(title="Data working paper")
    client.force_login(kenya_secretariat)
    client.post(
        url("action_new"),
        {
            "title": "Circulate the paper",
            "owner_organisation": org("IOM").pk,
            "due_date": "2030-01-01",
            "minutes_item": item.pk,
        },
    )
    action = ActionItem.objects.get()
    assert (action.minutes_item, action.meeting) == (item, meeting)
    assert "Q3 plenary" in client.get(url("action", action.pk)).content.decode()


def test_monitoring_shows_overdue_by_owner_and_pending_escalations(
    client, propose, kenya, kenya_secretariat, ec
):
    decision = _adopted(propose, kenya_secretariat)
    services.create_action_item(
        by=None,
        network=kenya,
        decision=decision,
        title="Late thing",
        owner_organisation=org("UNDP"),
        due_date=kenya.today() - datetime.timedelta(days=3),
    )
    objected = propose(title="Contested")
    services.record_position(
        by=ec["ILO"], proposal=objected, organisation=org("ILO"), stance="object", reason="No"
    )
    services.close_proposal(by=kenya_secretariat, proposal=objected)
    client.force_login(kenya_secretariat)
    page = client.get(url("monitoring")).content.decode()
    assert "UNDP" in page and "Contested" in page and "1 overdue" in page


def test_the_home_page_shows_what_awaits_my_position(client, propose, ec):
    propose(title="Needs UNDP")
    client.force_login(ec["UNDP"])
    page = client.get(reverse("networks:home", args=["kenya"])).content.decode()
    assert "Awaiting your position" in page and "Needs UNDP" in page


@pytest.mark.parametrize("name", ["proposals", "register", "actions", "monitoring"])
def test_pages_are_internal_to_the_network(client, kazakhstan_secretariat, kenya, name):
    client.force_login(kazakhstan_secretariat)
    assert client.get(url(name)).status_code == 404


def test_an_amendment_names_the_decision_it_amends_by_number(client, kenya, propose, kenya_secretariat):
    original = _adopted(propose, kenya_secretariat, title="Original")
    client.force_login(kenya_secretariat)
    page = client.get(url("proposal", original.proposal_id)).content.decode()
    assert f"amends={original.number}" in page
    body = kenya.bodies.get(slug="executive-committee").pk
    form = {
        "title": "Amend it",
        "text": "Changed.",
        "body": body,
        "procedure": "meeting",
        "amends": "KEN/1900/001",
    }
    assert "No decision KEN/1900/001" in client.post(url("proposal_new"), form).content.decode()
    client.post(url("proposal_new"), form | {"amends": original.number})
    assert Proposal.objects.get(title="Amend it").amends == original


def test_defer_reopen_and_withdraw_through_the_pages(client, propose, kenya_secretariat, ec):
    proposal = propose()
    client.force_login(ec["ILO"])
    assert client.post(url("proposal_defer", proposal.pk), {"reason": "x"}).status_code == 403
    client.force_login(kenya_secretariat)
    client.post(url("proposal_defer", proposal.pk), {"reason": "Await the review"})
    assert Proposal.objects.get().status == "deferred"
    client.post(url("proposal_reopen", proposal.pk), {"reason": "Review done"})
    assert Proposal.objects.get().status == "open"
    client.post(url("proposal_withdraw", proposal.pk), {"reason": "Overtaken by events"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.outcome_note) == ("withdrawn", "Overtaken by events")
