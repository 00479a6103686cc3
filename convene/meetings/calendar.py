"""iCalendar (RFC 5545) for invitations and feeds, in the form Outlook and Google accept.

The UID of a meeting never changes; SEQUENCE grows with each change sent, so calendars update the
event in place; a cancellation is METHOD:CANCEL with the same UID. The organiser is the network's
Secretariat (answers go there), SENT-BY the system's own address that sends on its behalf. The
description is worded in the language active when it is built (the recipient's). icalendar is
imported when a calendar is made, not at start-up (issue 17: memory per worker).
"""

from __future__ import annotations

import datetime
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.core import fragments
from convene.networks.permissions import networks_for

from .models import AgendaItem, Meeting
from .permissions import visible_meetings

if TYPE_CHECKING:
    from icalendar import Event, vCalAddress

PRODID = "-//Convene//UN Network on Migration workspace//EN"


def system_address() -> str:
    """The address the product sends from (DEFAULT_FROM_EMAIL)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "convene@localhost"


def organizer_of(network) -> vCalAddress:
    """ORGANIZER: the network's Secretariat, SENT-BY the system when it sends for it; without a
    known Secretariat address, the system itself."""
    from icalendar import vCalAddress, vText

    sender = system_address()
    address = network.secretariat_address() or sender
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(_("%(network)s Secretariat") % {"network": network})
    if address.lower() != sender.lower():
        organizer.params["sent-by"] = vText(f"mailto:{sender}")
    return organizer


def _event(
    meeting: Meeting,
    *,
    attendees: list[tuple[str, str]],
    cancelled: bool,
    url: str = "",
    organizer: vCalAddress | None = None,
) -> Event:
    from icalendar import Event, vCalAddress, vText

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
        description += ["", _("Agenda:")] + [f"{n}. {i.title}" for n, i in enumerate(items, start=1)]
    if url:
        description += ["", url]
        event.add("url", url)
    event.add("description", "\n".join(description))
    event.add("organizer", organizer or organizer_of(meeting.network))
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
    from icalendar import Calendar

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
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    organizers = {}  # one look-up per network, however many meetings
    for meeting in meetings:
        if meeting.network_id not in organizers:
            organizers[meeting.network_id] = organizer_of(meeting.network)
        cancelled = meeting.status == Meeting.Status.CANCELLED
        cal.add_component(
            _event(meeting, attendees=[], cancelled=cancelled, organizer=organizers[meeting.network_id])
        )
    cal.add_missing_timezones()
    return cal.to_ical()


def person_feed(user) -> bytes:
    """The person's subscription: every meeting they may see in each network they hold a seat in,
    from a year ago on. Calendar applications fetch it every hour or so, and it rarely changes: it is
    kept in the shared cache until one of those networks changes or its date turns (seats start and
    end), or the person gains or loses a network (issue 17)."""
    networks = list(networks_for(user))
    since = timezone.now().date() - datetime.timedelta(days=365)  # from midnight UTC, for the key

    def build() -> bytes:
        start = datetime.datetime.combine(since, datetime.time.min, tzinfo=datetime.UTC)
        accepted = AgendaItem.objects.filter(status=AgendaItem.Status.ACCEPTED)
        accepted = accepted.only("meeting", "status", "title", "order")
        meetings = [
            meeting
            for network in networks
            for meeting in visible_meetings(user, network)
            .filter(ends_at__gte=start)
            .select_related("body", "network")
            .prefetch_related(Prefetch("agenda_items", queryset=accepted))
        ]
        return feed(meetings, name=_("Convene meetings"))

    days = [n.today() for n in networks]
    return fragments.remembered(networks, "calendar-feed", build, user.pk, since, *days, store="default")
