"""Minutes: draft → circulated for comments → approved → disseminated; no lost updates; approved
minutes are frozen and corrected by a new version; PDF and Word laid out as a meeting record."""

import base64
import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from convene.accounts.models import User
from convene.core.models import OutboundEmail
from convene.meetings import documents, services
from convene.meetings.models import Minutes

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock


@pytest.fixture
def held(kenya):
    start = timezone.now() - datetime.timedelta(days=2)
    meeting = services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q3 meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        location="UN Gigiri",
    )
    for title in ("Welcome", "GCM national implementation plan"):
        services.add_agenda_item(by=None, meeting=meeting, title=title)
    return meeting


def test_minutes_start_from_the_agenda_and_follow_their_lifecycle(held):
    minutes = services.start_minutes(by=None, meeting=held)
    assert [i.title for i in minutes.items.all()] == ["Welcome", "GCM national implementation plan"]
    item = minutes.items.last()
    services.save_minutes(
        by=None,
        minutes=minutes,
        revision=0,
        summary="Quorate.",
        items={
            item.pk: {
                "notes": "IOM presented the plan.",
                "decisions": "Plan endorsed.",
                "action_points": "IOM to share the final text by 30 Nov.",
            }
        },
    )
    tomorrow = held.network.today() + datetime.timedelta(days=1)
    services.circulate_minutes(by=None, minutes=minutes, comment_deadline=tomorrow)
    with pytest.raises(ValidationError, match="no-objection period runs until"):
        services.approve_minutes(by=None, minutes=minutes)
    later = services.schedule_meeting(
        by=None,
        body=held.body,
        title="Q4 meeting",
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert (
        later.agenda_items.first().previous_meeting == held
    )  # "approval of the minutes of the previous meeting"
    services.approve_minutes(by=None, minutes=minutes, at_meeting=later)
    assert minutes.status == "approved" and minutes.approved_at_meeting == later
    services.disseminate_minutes(by=None, minutes=minutes)
    assert minutes.status == "disseminated"


def test_second_save_from_a_stale_page_is_refused(held):
    minutes = services.start_minutes(by=None, meeting=held)
    item = minutes.items.first()
    services.save_minutes(
        by=None, minutes=minutes, revision=0, summary="", items={item.pk: {"notes": "Alice"}}
    )
    with pytest.raises(ValidationError, match="Someone else saved these minutes"):
        services.save_minutes(
            by=None, minutes=minutes, revision=0, summary="", items={item.pk: {"notes": "Bob"}}
        )
    item.refresh_from_db()
    assert item.notes == "Alice"


def test_approved_minutes_are_frozen_and_corrected_by_a_new_version(held):
    minutes = services.start_minutes(by=None, meeting=held)
    services.circulate_minutes(
        by=None, minutes=minutes, comment_deadline=held.network.today() + datetime.timedelta(days=1)
    )
    Minutes.objects.filter(pk=minutes.pk).update(
        comment_deadline=held.network.today() - datetime.timedelta(days=1)
    )
    minutes.refresh_from_db()
    services.approve_minutes(by=None, minutes=minutes)
    assert "No objection by" in minutes.approval_note
    with pytest.raises(ValidationError, match="make a correction instead"):
        services.save_minutes(by=None, minutes=minutes, revision=minutes.revision, summary="x", items={})
    correction = services.correct_minutes(by=None, minutes=minutes)
    assert (correction.version, correction.status, correction.corrects) == (2, "draft", minutes)
    assert [i.title for i in correction.items.all()] == [i.title for i in minutes.items.all()]
    with pytest.raises(ValidationError, match="already exists"):
        services.correct_minutes(by=None, minutes=minutes)


def test_circulation_needs_a_future_deadline_and_comments_need_circulation(held, kenya_member):
    minutes = services.start_minutes(by=None, meeting=held)
    with pytest.raises(ValidationError, match="at least until tomorrow"):
        services.circulate_minutes(by=None, minutes=minutes, comment_deadline=held.network.today())
    with pytest.raises(ValidationError, match="while the minutes are circulated"):
        services.comment_on_minutes(by=kenya_member, minutes=minutes, text="Typo")


def test_pdf_and_word_read_like_a_meeting_record(held, seat, kenya):
    fao = seat(kenya, "network", "FAO")
    services.record_attendance(
        by=None,
        meeting=held,
        rows=[
            {
                "organisation": fao.representations.get().membership.organisation,
                "status": "present",
                "person": fao,
            }
        ],
    )
    minutes = services.start_minutes(by=None, meeting=held)
    item = minutes.items.last()
    minutes = services.save_minutes(
        by=None,
        minutes=minutes,
        revision=0,
        summary="All [members] #welcome $1 * _x_",
        items={item.pk: {"notes": "Discussion of the plan.", "decisions": "Plan endorsed."}},
    )
    data = documents.minutes_data(minutes)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(documents.pdf(data))).pages)
    for expected in (
        "KENYA UN NETWORK ON MIGRATION",
        "Minutes: Q3 meeting",
        "Present",
        "FAO (FAO person)",
        "GCM national implementation plan",
        "Decision: Plan endorsed.",
        "All [members] #welcome $1",
        "For internal use of the network",
    ):
        assert expected in text, expected
    word = Document(io.BytesIO(documents.docx(data)))
    paragraphs = [p.text for p in word.paragraphs]
    assert "Minutes: Q3 meeting" in paragraphs and "2. GCM national implementation plan" in paragraphs


def test_minutes_pages_for_organisers_members_and_the_pack(client, held, kenya_secretariat, kenya_member):
    client.force_login(kenya_secretariat)
    url = reverse("meetings:minutes", args=["kenya", held.pk])
    client.post(url, {"action": "start"})
    minutes = held.minutes.get()
    item = minutes.items.first()
    client.post(url, {"action": "save", "revision": "0", "summary": "S", f"notes-{item.pk}": "Opened."})
    stale = client.post(url, {"action": "save", "revision": "0", "summary": "T"}, follow=True)
    assert "Someone else saved these minutes" in stale.content.decode()
    client.force_login(kenya_member)
    assert "Opened." not in client.get(url).content.decode()  # a draft is the organisers'
    assert client.get(reverse("meetings:minutes_pdf", args=["kenya", held.pk])).status_code == 404
    assert client.post(url, {"action": "start"}).status_code == 403
    client.force_login(kenya_secretariat)
    deadline = (held.network.today() + datetime.timedelta(days=5)).isoformat()
    client.post(url, {"action": "circulate", "comment_deadline": deadline})
    client.force_login(kenya_member)
    page = client.get(url).content.decode()
    assert "Opened." in page and "Your comment to the Secretariat" in page
    client.post(url, {"action": "comment", "text": "Please add FAO's point on climate."})
    client.force_login(kenya_secretariat)
    assert "Please add FAO" in client.get(url).content.decode()
    pdf = client.get(reverse("meetings:minutes_pdf", args=["kenya", held.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    pack = zipfile.ZipFile(io.BytesIO(client.get(reverse("meetings:pack", args=["kenya", held.pk])).content))
    day = held.local_start.date().isoformat()
    assert set(pack.namelist()) == {
        f"kenya-agenda-{day}.pdf",
        f"kenya-agenda-{day}.docx",
        f"kenya-invitation-{day}.ics",
    }
    assert sum(i.compress_size for i in pack.infolist()) < 200_000
    Minutes.objects.filter(pk=minutes.pk).update(
        comment_deadline=held.network.today() - datetime.timedelta(days=1)
    )
    client.post(url, {"action": "approve"})
    french = services.invitee_recipients(held)[0].email
    User.objects.filter(email=french).update(language="fr")
    client.post(url, {"action": "disseminate"})
    minutes.refresh_from_db()
    assert minutes.status == "disseminated"
    sent = [m for m in OutboundEmail.objects.filter(topic="minutes") if m.attachments]  # not the draft's
    assert sent and all(m.attachments[0]["mimetype"] == "application/pdf" for m in sent)
    assert {m.attachments[0]["filename"] for m in sent} == {f"kenya-minutes-{day}.pdf"}
    # Each reader's PDF is in their language.
    for m in sent:
        text = PdfReader(io.BytesIO(base64.b64decode(m.attachments[0]["content"]))).pages[0].extract_text()
        heading = "Procès-verbal" if m.to == [french] else "Minutes: Q3 meeting"
        assert heading in text, (m.to, m.language)
    edit = client.post(
        url, {"action": "save", "revision": str(minutes.revision), "summary": "Changed later"}, follow=True
    )
    assert "make a correction instead" in edit.content.decode()


def test_minutes_cannot_be_approved_at_a_meeting_that_has_not_taken_place(held):
    minutes = services.start_minutes(by=None, meeting=held)
    services.circulate_minutes(
        by=None, minutes=minutes, comment_deadline=held.network.today() + datetime.timedelta(days=3)
    )
    soon = timezone.now() + datetime.timedelta(days=5)
    next_meeting = services.schedule_meeting(
        by=None, body=held.body, title="Q4", starts_at=soon, ends_at=soon + datetime.timedelta(hours=2)
    )
    with pytest.raises(ValidationError, match="has not taken place"):
        services.approve_minutes(by=None, minutes=minutes, at_meeting=next_meeting)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CIRCULATED and minutes.approved_at_meeting is None
