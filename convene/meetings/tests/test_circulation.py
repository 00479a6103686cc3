"""Circulating the agenda: an e-mail with an RFC 5545 invitation to every representative of the body,
an update with a higher SEQUENCE on change, a CANCEL on cancellation, and a private calendar feed."""

import datetime
import email
import email.policy
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from convene.core.models import OutboundEmail
from convene.meetings import services
from convene.meetings.models import CalendarFeed, Meeting

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def invitations(server):
    """(recipient, parsed message, parsed calendar) of every message the SMTP server received."""
    out = []
    for envelope in server.received:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        [ics] = [p for p in message.iter_attachments() if p.get_filename() == "invite.ics"]
        out.append((envelope.rcpt_tos[0], message, Calendar.from_ical(ics.get_content())))
    return out


def fingerprint(page: str) -> str:
    return re.search(r'name="fingerprint" value="(\w+)"', page)[1]


def event_of(cal):
    [event] = cal.walk("VEVENT")
    return event


def test_circulating_sends_each_representative_an_outlook_ready_invitation(
    client, smtp_server, run_worker, kenya, seat, kenya_secretariat
):
    members = [seat(kenya, "network", acronym) for acronym in ("FAO", "UNHCR", "WHO")]
    plenary = kenya.bodies.get(slug="network")
    starts = services.local_datetime(datetime.date(2027, 3, 9), datetime.time(10), "Africa/Nairobi")
    meeting = services.schedule_meeting(
        by=None,
        body=plenary,
        title="Quarterly meeting Q1 2027",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location="UN Gigiri",
    )
    services.add_agenda_item(by=None, meeting=meeting, title="GCM national implementation plan")
    client.force_login(kenya_secretariat)
    url = reverse("meetings:circulate", args=["kenya", meeting.pk])

    # Look first: the button shows who gets what; nothing is sent or changed.
    page = client.post(url).content.decode()
    assert client.get(url).content.decode().count("@kenya.test") == page.count("@kenya.test")
    assert not OutboundEmail.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == "draft"
    assert "3 recipients" in page
    for m in members:
        assert f"<td>{m.full_name}</td><td>{m.full_name.split()[0]}</td><td>{m.email}</td>" in page
    preview = services.agenda_circulation(meeting)
    assert html.escape(preview.subject) in page and html.escape(preview.body) in page

    response = client.post(url, {"confirm": "1", "fingerprint": fingerprint(page)}, follow=True)
    assert "Agenda and invitation are being sent to 3 people." in response.content.decode()
    run_worker()

    sent = invitations(smtp_server)
    assert {to for to, _m, _c in sent} == {m.email for m in members}  # the Secretariat sits in its own body
    to, message, cal = sent[0]
    assert message["Subject"].strip() == preview.subject  # exactly what was shown
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith(preview.body.strip() + "\n\n-- \n")  # then why they get it
    assert "1. GCM national implementation plan" in message.get_body(("plain",)).get_content()
    assert cal["VERSION"] == "2.0" and "Convene" in str(cal["PRODID"]) and cal["METHOD"] == "REQUEST"
    event = event_of(cal)
    assert str(event["UID"]) == f"{meeting.uid}@convene"
    assert event["SEQUENCE"] == 0 and event.get("DTSTAMP") is not None
    assert event["DTSTART"].params["TZID"] == "Africa/Nairobi"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2027, 3, 9, 10, 0)
    assert cal.walk("VTIMEZONE") and str(cal.walk("VTIMEZONE")[0]["TZID"]) == "Africa/Nairobi"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    attendees = {str(a).removeprefix("mailto:") for a in event.get("ATTENDEE")}
    assert attendees == {m.email for m in members}
    meeting.refresh_from_db()
    assert meeting.status == "circulated" and meeting.agenda_circulated_at is not None

    # A change of time sends an update: same UID, higher SEQUENCE.
    services.update_meeting(
        by=None,
        meeting=meeting,
        starts_at=starts + datetime.timedelta(hours=1),
        ends_at=starts + datetime.timedelta(hours=3),
    )
    services.cancel_meeting(by=None, meeting=meeting, reason="Public holiday")
    smtp_server.envelopes.clear()
    run_worker()
    by_method = {}
    for _to, _message, cal in invitations(smtp_server):
        by_method.setdefault(str(cal["METHOD"]), []).append(event_of(cal))
    assert {k: len(v) for k, v in by_method.items()} == {"REQUEST": 3, "CANCEL": 3}
    assert {e["SEQUENCE"] for e in by_method["REQUEST"]} == {1}
    assert {e["SEQUENCE"] for e in by_method["CANCEL"]} == {2}
    assert {str(e["UID"]) for e in by_method["CANCEL"]} == {f"{meeting.uid}@convene"}
    assert {str(e["STATUS"]) for e in by_method["CANCEL"]} == {"CANCELLED"}


def test_a_confirmation_of_what_has_since_changed_sends_nothing_and_shows_it_again(
    client, kenya, seat, kenya_secretariat, quarterly
):
    seat(kenya, "network", "FAO")
    client.force_login(kenya_secretariat)
    url = reverse("meetings:circulate", args=["kenya", quarterly.pk])
    seen = fingerprint(client.get(url).content.decode())
    late = seat(kenya, "network", "WHO")  # designated while the Secretariat was looking
    page = client.post(url, {"confirm": "1", "fingerprint": seen}).content.decode()
    assert "changed since you looked" in page and late.email in page
    assert not OutboundEmail.objects.exists()
    quarterly.refresh_from_db()
    assert quarterly.status == "draft"


def test_only_the_organisers_see_the_preview(client, kenya, kenya_member, quarterly):
    client.force_login(kenya_member)
    assert client.get(reverse("meetings:circulate", args=["kenya", quarterly.pk])).status_code == 403


def test_nothing_to_circulate_without_representatives(client, kenya, kenya_secretariat):
    group_meeting = services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="unct"),
        title="UNCT",
        kind=Meeting.Kind.AD_HOC,
        starts_at=services.local_datetime(datetime.date(2027, 1, 5), datetime.time(9), "Africa/Nairobi"),
        ends_at=services.local_datetime(datetime.date(2027, 1, 5), datetime.time(10), "Africa/Nairobi"),
    )
    client.force_login(kenya_secretariat)
    response = client.post(reverse("meetings:circulate", args=["kenya", group_meeting.pk]), follow=True)
    assert "Nobody represents a member of UN Country Team Kenya yet." in response.content.decode()
    group_meeting.refresh_from_db()
    assert group_meeting.status == "draft"


def _feed_titles(client, token) -> list[str]:
    response = client.get(reverse("meetings:feed", args=[token]))
    assert response.status_code == 200
    return sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT"))


@pytest.mark.clock
def test_the_calendar_feed_is_kept_until_a_network_changes_a_seat_starts_or_ends_or_a_network_is_added(
    client, kenya, kazakhstan, seat, quarterly, soon
):
    """Calendar applications fetch the feed every hour: it is built once and served from the cache
    (no meeting is read) until something it shows could have changed."""
    from convene.decisions import testing as charter_powers
    from convene.networks import services as network_services
    from convene.networks.models import Organisation

    person = seat(kenya, "network", "FAO")
    group = charter_powers.establish_working_group(network=kenya, name="TWG Data")
    services.schedule_meeting(
        by=None, body=group, title="Group meeting", starts_at=soon, ends_at=soon + datetime.timedelta(hours=1)
    )
    token = services.renew_calendar_feed(user=person).token
    assert _feed_titles(client, token) == ["Q1 meeting"]  # not in the working group (yet)

    with CaptureQueriesContext(connection) as kept:
        assert _feed_titles(client, token) == ["Q1 meeting"]
    assert not [q for q in kept if "meetings_meeting" in q["sql"]]

    services.update_meeting(by=None, meeting=quarterly, title="Q1 meeting (moved)")
    assert _feed_titles(client, token) == ["Q1 meeting (moved)"]

    # A seat in a second network adds its meetings, though nothing changed there since.
    almaty = services.schedule_meeting(
        by=None,
        body=kazakhstan.bodies.get(slug="network"),
        title="Almaty meeting",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=1),
    )
    assert _feed_titles(client, token) == ["Q1 meeting (moved)"]
    seat(kazakhstan, "network", "FAO", email=person.email)
    assert _feed_titles(client, token) == ["Almaty meeting", "Q1 meeting (moved)"]
    services.update_meeting(by=None, meeting=almaty, title="Astana meeting")
    assert _feed_titles(client, token) == ["Astana meeting", "Q1 meeting (moved)"]
    services.update_meeting(by=None, meeting=quarterly, title="Q1 meeting")
    assert _feed_titles(client, token) == ["Astana meeting", "Q1 meeting"]

    # A seat in the working group until today, on Nairobi's date: its meeting shows until midnight there.
    fao = Organisation.objects.get(acronym="FAO", country="")
    membership = network_services.add_membership(by=None, body=group, organisation=fao)
    network_services.designate_representative(
        by=None, membership=membership, email=person.email, end_date=kenya.today()
    )
    assert _feed_titles(client, token) == ["Astana meeting", "Group meeting", "Q1 meeting"]
    next_day = datetime.datetime.combine(
        kenya.today() + datetime.timedelta(days=1), datetime.time(0, 1), kenya.zone
    )
    with time_machine.travel(next_day, tick=False):
        assert _feed_titles(client, token) == ["Astana meeting", "Q1 meeting"]


def test_private_calendar_feed_lists_visible_meetings_until_revoked(client, kenya, kenya_member, quarterly):
    client.force_login(kenya_member)
    client.post(reverse("meetings:calendar"), {"action": "renew"})
    token = CalendarFeed.objects.get(user=kenya_member).token
    assert token in client.get(reverse("meetings:calendar")).content.decode()
    client.logout()
    feed = client.get(reverse("meetings:feed", args=[token]))
    assert feed["Content-Type"] == "text/calendar"
    cal = Calendar.from_ical(feed.content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Q1 meeting"]
    client.force_login(kenya_member)
    client.post(reverse("meetings:calendar"), {"action": "renew"})
    client.logout()
    assert client.get(reverse("meetings:feed", args=[token])).status_code == 404  # the old address is dead
    assert client.get(reverse("meetings:feed", args=["guess"])).status_code == 404
