"""iCalendar (RFC 5545) for invitations and feeds, in the form Outlook and Google accept.

The UID of a meeting never changes; SEQUENCE grows with each change sent, so calendars update the
event in place; a cancellation is METHOD:CANCEL with the same UID.
"""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting

PRODID = "-//Convene//UN Network on Migration workspace//EN"


def organiser_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "convene@localhost"


def _event(meeting: Meeting, *, attendees: list[tuple[str, str]], cancelled: bool, url: str = "") -> Event:
    zone = meeting.zone
    event = Event()
    event.add("uid", f"{meeting.uid}@convene")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    where = ", ".join(p for p in (meeting.location, meeting.online_url) if p)
    if where:
        event.add("location", where)
    description = [f"{meeting.body.tr.name} — {meeting.get_kind_display()}"]
    items = [i for i in meeting.agenda_items.all() if i.status == "accepted"]
    if items:
        description += ["", "Agenda:"] + [f"{n}. {i.title}" for n, i in enumerate(items, start=1)]
    if url:
        description += ["", url]
        event.add("url", url)
    event.add("description", "\n".join(description))
    organizer = vCalAddress(f"mailto:{organiser_address()}")
    organizer.params["cn"] = vText(f"{meeting.network} Secretariat")
    event.add("organizer", organizer)
    for email, name in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(name or email)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    return event


def invitation(meeting: Meeting, *, attendees: list[tuple[str, str]], url: str = "") -> bytes:
    """METHOD:REQUEST for a new or changed meeting, METHOD:CANCEL for a cancelled one."""
    cancelled = meeting.status == Meeting.Status.CANCELLED
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    cal.add_component(_event(meeting, attendees=attendees, cancelled=cancelled, url=url))
    cal.add_missing_timezones()
    return cal.to_ical()


def feed(meetings, *, name: str) -> bytes:
    """A subscription feed (no METHOD): every meeting the person may see."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(_event(meeting, attendees=[], cancelled=meeting.status == Meeting.Status.CANCELLED))
    cal.add_missing_timezones()
    return cal.to_ical()
