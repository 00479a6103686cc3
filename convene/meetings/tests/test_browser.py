"""The Secretariat's whole meeting cycle in a real browser: schedule a meeting, build and reorder its
agenda in place (htmx), circulate it (invitations through the real worker to a real SMTP server),
record attendance, keep the minutes through draft → circulated → approved → disseminated, and
download them as PDF.

Drives Debian's Chromium through Playwright against pytest-django's live server.
"""

import datetime
import email
import email.policy
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from convene.core.models import OutboundEmail
from convene.core.testing import sign_in
from convene.meetings import services
from convene.meetings.models import AgendaItem, Attendance, Meeting, Minutes

TITLE = "Second quarter plenary"
ITEMS = ["Welcome and adoption of the agenda", "GCM national implementation plan", "Any other business"]
DECISION = "Adopt the national plan."
NOTES = "IOM presented the draft plan; members discussed it."

# live_server needs a transactional database; the UN entities the charters name come from a data
# migration, which the flush between transactional tests would otherwise wipe.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def flash(page, text):
    """The success message the previous action left on the page."""
    from playwright.sync_api import expect

    expect(page.locator("ul.messages")).to_contain_text(text)


def field(page, label):
    """A Django form field by its label ("Title:", with Django's label suffix)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def agenda_titles(page):
    return page.locator("#agenda > ol > li > strong")


def invitations(server):
    """(recipient, parsed message, parsed calendar) of every message the SMTP server received."""
    out = []
    for envelope in server.received:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        [ics] = [p for p in message.iter_attachments() if p.get_filename() == "invite.ics"]
        out.append((envelope.rcpt_tos, message, Calendar.from_ical(ics.get_content())))
    return out


def test_secretariat_runs_a_meeting_from_schedule_to_disseminated_minutes(
    page, kenya, seat, kenya_secretariat, smtp_server, run_worker
):
    from playwright.sync_api import expect

    fao, who = seat(kenya, "network", "FAO"), seat(kenya, "network", "WHO")
    # The app's "today" is the network's (views run in its time zone), not the server's.
    today = datetime.datetime.now(ZoneInfo(kenya.timezone)).date()
    yesterday = today - datetime.timedelta(days=1)

    # 1. Schedule a meeting of the plenary, held yesterday (attendance and minutes need it started).
    sign_in(page, kenya_secretariat)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    page.wait_for_url(re.compile(r"/n/kenya/meetings/$"))
    page.get_by_role("link", name="Schedule a meeting").click()
    page.wait_for_url(re.compile(r"/n/kenya/meetings/new/"))
    field(page, "Body").select_option(label="Kenya UN Network on Migration")
    field(page, "Kind").select_option(Meeting.Kind.REGULAR)
    field(page, "Title").fill(TITLE)
    field(page, "Date").fill(yesterday.isoformat())
    field(page, "Starts").fill("10:00")
    field(page, "Ends").fill("12:00")
    field(page, "Place").fill("UN Gigiri, Nairobi")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/n/kenya/meetings/\d+/$"))
    flash(page, "Meeting scheduled.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    meeting = Meeting.objects.get(title=TITLE)
    assert (meeting.body.slug, meeting.kind, meeting.status) == ("network", "regular", "draft")
    local_start = meeting.starts_at.astimezone(ZoneInfo(kenya.timezone))
    assert (local_start.date(), local_start.time()) == (yesterday, datetime.time(10))
    meeting_path = f"/n/kenya/meetings/{meeting.pk}/"
    assert page.url.endswith(meeting_path)

    # 2. The agenda: three items, then the last one moved up in place.
    expect(page.locator("#agenda")).to_contain_text("The agenda is empty.")
    for n, title in enumerate(ITEMS, start=1):
        page.get_by_role("link", name="Add an agenda item").click()
        page.wait_for_url(re.compile(r"/agenda/new/$"))
        field(page, "Title").fill(title)
        field(page, "Time allotted (minutes)").fill("20")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(f"{re.escape(meeting_path)}$"))
        flash(page, "Item added.")
        expect(agenda_titles(page)).to_have_count(n)
    expect(agenda_titles(page)).to_have_text(ITEMS)

    page.evaluate("window.__same_page = true")  # survives an htmx swap, not a page load
    with page.expect_response(re.compile(r"/agenda/\d+/up/$")) as response_info:
        page.get_by_role("button", name=f"Move “{ITEMS[2]}” up").click()
    response = response_info.value
    assert response.status == 200 and response.request.headers.get("hx-request") == "true"
    reordered = [ITEMS[0], ITEMS[2], ITEMS[1]]
    expect(agenda_titles(page)).to_have_text(reordered)
    assert page.evaluate("window.__same_page === true")
    # The swapped-in agenda still works: the first item has no ↑, the last no ↓.
    expect(page.get_by_role("button", name=f"Move “{ITEMS[0]}” up")).to_have_count(0)
    expect(page.get_by_role("button", name=f"Move “{ITEMS[1]}” down")).to_have_count(0)
    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == reordered

    # 3. Circulate: one invitation per invitee, each with an RFC 5545 REQUEST, through the real worker.
    expect(page.get_by_text("2 invitees")).to_be_visible()
    page.get_by_role("button", name="Circulate the draft agenda").click()
    # Look before you send: the recipients and the message, nothing sent yet.
    expect(page.get_by_role("heading", name="2 recipients")).to_be_visible()
    for person in (fao, who):
        expect(page.get_by_role("row", name=f"{person.full_name}")).to_contain_text(person.email)
    expect(page.get_by_test_id("subject")).to_contain_text(f"[UNNM Kenya] Invitation: {TITLE}")
    assert not OutboundEmail.objects.filter(topic="invitation").exists()
    page.get_by_role("button", name="Send the invitation").click()
    flash(page, "Agenda and invitation are being sent to 2 people.")
    run_worker()
    sent = invitations(smtp_server)
    assert sorted(to for to, _m, _c in sent) == sorted([[fao.email], [who.email]])
    for _to, message, cal in sent:
        assert message["Subject"].strip().startswith(f"[UNNM Kenya] Invitation: {TITLE}")
        assert str(cal["METHOD"]) == "REQUEST"
        [event] = cal.walk("VEVENT")
        assert str(event["SUMMARY"]) == TITLE
        assert str(event["UID"]) == f"{meeting.uid}@convene"
        assert event.decoded("DTSTART").astimezone(ZoneInfo(kenya.timezone)) == local_start
        assert f"3. {ITEMS[1]}" in str(event["DESCRIPTION"])  # the agenda in its new order
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CIRCULATED

    # 4. Attendance: FAO present through its representative, WHO with apologies.
    expected = len(services.expected_members(meeting))
    page.get_by_role("link", name="Record attendance").click()
    page.wait_for_url(re.compile(r"/attendance/$"))
    page.get_by_label("Status of FAO", exact=True).select_option(Attendance.Status.PRESENT)
    page.get_by_label("Representative of FAO", exact=True).select_option(label=f"{fao.full_name} (Principal)")
    page.get_by_label("Status of WHO", exact=True).select_option(Attendance.Status.APOLOGIES)
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_url(re.compile(f"{re.escape(meeting_path)}$"))
    flash(page, "Attendance saved.")
    summary = page.get_by_role("heading", name="Attendance").locator("xpath=..")
    expect(summary).to_contain_text(f"1 of {expected} members represented.")
    expect(summary).to_contain_text(f"FAO — {fao.full_name} (principal)")
    expect(summary).to_contain_text("Not every member represented")
    assert dict(meeting.attendance.values_list("organisation__acronym", "status")) == {
        "FAO": "present",
        "WHO": "apologies",
    }

    # 5. Minutes: draft from the agenda, notes and a decision, circulated, approved, disseminated.
    page.get_by_role("link", name="Minutes", exact=True).click()
    page.wait_for_url(re.compile(r"/minutes/$"))
    page.get_by_role("button", name="Start the minutes from the agenda").click()
    section = page.locator("fieldset").filter(has=page.locator("legend", has_text=f"2. {ITEMS[2]}"))
    section.get_by_label("Notes", exact=True).fill(NOTES)
    section.get_by_label("Decisions taken", exact=True).fill(DECISION)
    page.get_by_role("button", name="Save the draft").click()
    flash(page, "Minutes saved.")
    expect(section.get_by_label("Decisions taken", exact=True)).to_have_value(DECISION)

    tomorrow = today + datetime.timedelta(days=1)  # the app needs the deadline after today
    page.get_by_label("Circulate for comments, no objection by").fill(tomorrow.isoformat())
    page.get_by_role("button", name="Circulate", exact=True).click()
    flash(page, "Draft minutes circulated for comments.")
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.status, minutes.comment_deadline) == (Minutes.Status.CIRCULATED, tomorrow)

    # Shortcut: approval "by no objection" needs the deadline to have passed, and the app rightly
    # refuses a deadline in the past; rather than wait two days, move the deadline back in the ORM.
    Minutes.objects.filter(pk=minutes.pk).update(comment_deadline=yesterday)
    page.reload()
    page.get_by_role("button", name="Approve", exact=True).click()
    flash(page, "Minutes approved.")
    page.get_by_role("button", name="Disseminate to the members").click()
    flash(page, "Minutes sent to the members.")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DISSEMINATED
    assert minutes.approved_at is not None and minutes.disseminated_at is not None
    [decided] = minutes.items.exclude(decisions="")
    assert (decided.title, decided.decisions, decided.notes) == (ITEMS[2], DECISION, NOTES)
    assert decided.agenda_item == AgendaItem.objects.get(meeting=meeting, title=ITEMS[2])

    # 6. The minutes as PDF: the meeting's title and the decision typed above.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"kenya-minutes-{meeting.local_start.date().isoformat()}.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert TITLE in text
    assert DECISION in text
    assert NOTES in text
