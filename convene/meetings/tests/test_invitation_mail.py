"""Invitations as Outlook and Google accept them, each in the recipient's language: received from a
real SMTP server after the real worker sent them, and parsed with the `email` package."""

import datetime
import email
import email.policy
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar

from convene.accounts.services import choose_language
from convene.core.models import OutboundEmail
from convene.meetings import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAILBOX = "secretariat@un-kenya.test"


def received(server) -> dict:
    """{recipient: parsed message} of everything the SMTP server received."""
    return {
        envelope.rcpt_tos[0]: email.message_from_bytes(envelope.content, policy=email.policy.default)
        for envelope in server.received
    }


def content_types(message) -> list[str]:
    """Every part's Content-Type header as written (the default policy would rewrite it)."""
    raw = email.message_from_bytes(message.as_bytes(policy=email.policy.compat32))
    return [" ".join(part["Content-Type"].split()) for part in raw.walk()]


def parts(message):
    """(the multipart/alternative, its parts, the attachments) of a multipart/mixed message."""
    assert message.get_content_type() == "multipart/mixed"
    alternative, *attachments = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    return alternative, alternative.get_payload(), attachments


def event_of(ics) -> dict:
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    return event


def plain(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def schedule(network, *, title, day, hour=10, location="UN Gigiri"):
    body = network.bodies.get(slug="network")
    starts = services.local_datetime(day, datetime.time(hour), network.timezone)
    meeting = services.schedule_meeting(
        by=None,
        body=body,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location=location,
    )
    services.add_agenda_item(by=None, meeting=meeting, title="GCM national implementation plan")
    return meeting


def test_an_invitation_is_the_mime_tree_outlook_expects_and_so_is_its_cancellation(
    smtp_server, run_worker, kenya, seat, kenya_secretariat
):
    kenya.email = MAILBOX  # the Secretariat's mailbox, as a charter may give it
    kenya.save()
    fao = seat(kenya, "network", "FAO")
    meeting = schedule(kenya, title="Q1 <b>meeting</b>", day=datetime.date(2027, 3, 9))
    services.circulate_agenda(by=None, meeting=meeting)
    run_worker()

    message = received(smtp_server)[fao.email]
    alternative, body_parts, attachments = parts(message)
    assert [p.get_content_type() for p in body_parts] == ["text/plain", "text/html", "text/calendar"]
    text_part, html_part, calendar_part = body_parts
    written = content_types(message)
    assert 'text/calendar; method=REQUEST; charset="utf-8"' in written
    for header in written:  # exactly one charset on every text part, none elsewhere
        assert header.lower().count("charset=") == (1 if header.startswith("text/") else 0), header
    [attached] = attachments
    assert attached.get_content_type() == "application/ics"
    assert attached.get_content_disposition() == "attachment" and attached.get_filename() == "invite.ics"
    assert Calendar.from_ical(attached.get_content()) == Calendar.from_ical(calendar_part.get_content())

    cal = Calendar.from_ical(calendar_part.get_content())
    assert cal["METHOD"] == "REQUEST"
    event = event_of(calendar_part.get_content())
    organizer = event["ORGANIZER"]
    assert str(organizer) == f"mailto:{MAILBOX}"
    assert organizer.params["CN"] == "UNNM Kenya Secretariat"
    assert organizer.params["SENT-BY"] == "mailto:convene@localhost"
    assert message["Reply-To"] == MAILBOX  # replies and RSVPs never go to convene@localhost
    assert message["Subject"].strip() == "[UNNM Kenya] Invitation: Q1 <b>meeting</b> — 9 Mar 2027"

    # The HTML part: language and direction, the text escaped, links clickable, nothing remote.
    html = html_part.get_content()
    assert '<html lang="en" dir="ltr">' in html
    assert "Q1 &lt;b&gt;meeting&lt;/b&gt;" in html and "<b>meeting" not in html
    url = services.meeting_url(meeting)
    assert f'<a href="{url}"' in html
    assert "<img" not in html and "<script" not in html and "src=" not in html
    # The footer says why, and where to choose the language.
    text = plain(message)
    assert "You receive this as the principal representative of FAO in Kenya UN Network on Migration." in text
    assert "choose it on your account page: http://127.0.0.1:8000/me/" in text

    # A cancellation: METHOD:CANCEL the same way, and it says what, when, where and why.
    services.cancel_meeting(by=None, meeting=meeting, reason="The venue is closed for repairs")
    smtp_server.envelopes.clear()
    run_worker()
    message = received(smtp_server)[fao.email]
    _alternative, body_parts, [attached] = parts(message)
    assert 'text/calendar; method=CANCEL; charset="utf-8"' in content_types(message)
    assert Calendar.from_ical(attached.get_content())["METHOD"] == "CANCEL"
    assert event_of(attached.get_content())["SEQUENCE"] == 1
    assert str(event_of(attached.get_content())["ORGANIZER"]) == f"mailto:{MAILBOX}"
    assert message["Reply-To"] == MAILBOX
    text = plain(message)
    assert message["Subject"].strip() == "[UNNM Kenya] Cancelled: Q1 <b>meeting</b> — 9 Mar 2027"
    for fact in (
        "This meeting is cancelled:",
        "Q1 <b>meeting</b>",  # what
        "Tuesday, 9 Mar 2027, 10:00–12:00 (Africa/Nairobi)",  # when, in the network's zone
        "UN Gigiri",  # where
        "Reason: The venue is closed for repairs",  # why
    ):
        assert fact in text


def test_without_a_mailbox_the_coordinator_organises_and_without_one_the_system_does(
    smtp_server, run_worker, kenya, seat
):
    fao = seat(kenya, "network", "FAO")
    meeting = schedule(kenya, title="Q2 meeting", day=datetime.date(2027, 6, 8))
    services.circulate_agenda(by=None, meeting=meeting)  # no Secretariat mailbox, no Coordinator
    coordinator = seat(kenya, "secretariat", "IOM", role="coordinator", email="coordinator@iom.test")
    services.update_meeting(by=None, meeting=meeting, location="UN Gigiri, room 2")  # an update
    run_worker()

    by_sequence = {}
    for envelope in smtp_server.received:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        [attached] = parts(message)[2]
        event = event_of(attached.get_content())
        by_sequence[event["SEQUENCE"]] = (message, event["ORGANIZER"])
    message, organizer = by_sequence[0]
    assert str(organizer) == "mailto:convene@localhost" and "SENT-BY" not in organizer.params
    assert message["Reply-To"] is None
    message, organizer = by_sequence[1]
    assert str(organizer) == f"mailto:{coordinator.email}"
    assert organizer.params["SENT-BY"] == "mailto:convene@localhost"
    assert message["Reply-To"] == coordinator.email
    assert {m["To"] for m, _o in by_sequence.values()} == {fao.email}


def test_a_russian_and_an_english_reader_get_the_same_invitation_each_in_their_language(
    smtp_server, run_worker, kazakhstan, seat
):
    russian, english, unchosen = (seat(kazakhstan, "network", a) for a in ("UNICEF", "UNHCR", "UNDP"))
    choose_language(user=russian, language="ru")
    choose_language(user=english, language="en")  # `unchosen` has not chosen: Kazakhstan's default
    meeting = schedule(
        kazakhstan, title="Annual meeting", day=datetime.date(2026, 12, 4), location="UN House"
    )
    services.circulate_agenda(by=None, meeting=meeting)
    run_worker()

    mail = received(smtp_server)
    assert {m.to[0]: m.language for m in OutboundEmail.objects.all()} == {
        russian.email: "ru",
        english.email: "en",
        unchosen.email: "ru",
    }
    events = {}
    for person, language in ((russian, "ru"), (english, "en"), (unchosen, "ru")):
        message = mail[person.email]
        _alternative, (text_part, html_part, calendar_part), _attached = parts(message)
        with translation.override(language):
            invitation, agenda = gettext("Invitation"), gettext("Agenda:")
            network = str(kazakhstan)  # the network's short name in the reader's language
            secretariat = gettext("%(network)s Secretariat") % {"network": network}
        day = {"ru": "4 декабря 2026 г.", "en": "4 Dec 2026"}[language]
        assert message["Subject"].strip() == f"[{network}] {invitation}: Annual meeting — {day}"
        assert f"{day}, 10:00–12:00 (Asia/Almaty)" in plain(message)
        assert f'<html lang="{language}" dir="ltr">' in html_part.get_content()
        event = event_of(calendar_part.get_content())
        assert f"\n{agenda}\n1. GCM national implementation plan" in str(event["DESCRIPTION"])
        assert event["ORGANIZER"].params["CN"] == secretariat
        events[person.email] = (str(event["UID"]), event["SEQUENCE"], event.decoded("DTSTART"))
    assert len(set(events.values())) == 1  # the same invitation, whatever the language
    assert "Пятница, 4 декабря 2026 г." in plain(mail[russian.email])
    assert "Friday, 4 Dec 2026" in plain(mail[english.email])


def test_the_preview_says_which_languages_it_goes_out_in_and_a_new_language_changes_what_is_confirmed(
    client, kazakhstan, seat, kazakhstan_secretariat
):
    russian, english, unchosen = (seat(kazakhstan, "network", a) for a in ("UNICEF", "UNHCR", "UNDP"))
    choose_language(user=english, language="en")
    choose_language(user=kazakhstan_secretariat, language="en")  # the viewer reads English
    meeting = schedule(kazakhstan, title="Annual meeting", day=datetime.date(2026, 12, 4))
    client.force_login(kazakhstan_secretariat)
    client.cookies.load({"convene_language": "en"})
    url = reverse("meetings:circulate", args=["kazakhstan", meeting.pk])

    page = client.get(url).content.decode()
    assert "Each person receives it in theirs:" in page
    assert "Russian to 2 people; English to 1 person." in page
    assert f'<td>{english.email}</td><td lang="en">English</td>' in page
    assert f'<td>{unchosen.email}</td><td lang="ru">Русский</td>' in page
    assert "[UNNM Kazakhstan] Invitation: Annual meeting — 4 Dec 2026" in page  # the viewer's language
    seen = re.search(r'name="fingerprint" value="(\w+)"', page)[1]

    choose_language(user=russian, language="kk")  # what would be sent changed: not the same message
    page = client.post(url, {"confirm": "1", "fingerprint": seen}).content.decode()
    assert "changed since you looked" in page and not OutboundEmail.objects.exists()
    assert "English to 1 person; Kazakh to 1 person; Russian to 1 person." in page
