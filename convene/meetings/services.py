"""Every write to meetings and agendas: one transaction each, domain checks, an audit row."""

import datetime
import secrets
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.core import release_status
from convene.core.audit import check_changeable, diff, record_change, save_changes, snapshot
from convene.core.dates import show_date, show_datetime, show_time
from convene.core.mail import Content, Message, Recipient, queue_message
from convene.core.models import ChangeLog
from convene.core.validators import control_characters
from convene.library.services import upload_document
from convene.networks.models import Body, Membership, Organisation, Representative, in_term
from convene.networks.queries import seat_reason

from . import calendar
from .models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesComment,
    MinutesItem,
)
from .permissions import extraordinary_authority

CREATE, UPDATE, DELETE = ChangeLog.Action.CREATE, ChangeLog.Action.UPDATE, ChangeLog.Action.DELETE
MINUTES_ITEM = _("Approval of the minutes of the previous meeting")
# Changes that make a sent invitation out of date: they are sent again with a higher SEQUENCE.
CALENDAR_FIELDS = {"title", "starts_at", "ends_at", "location", "online_url", "status"}


def local_datetime(day: datetime.date, time: datetime.time, tz: str) -> datetime.datetime:
    """A wall-clock time in the network's zone, as an aware datetime (stored in UTC)."""
    return datetime.datetime.combine(day, time, tzinfo=ZoneInfo(tz))


def overlapping(meeting: Meeting):
    """Other meetings of the same body at the same time (a warning, not an error)."""
    return (
        Meeting.objects.filter(
            body=meeting.body, starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at
        )
        .exclude(pk=meeting.pk)
        .exclude(status=Meeting.Status.CANCELLED)
    )


def _check(meeting: Meeting) -> None:
    if meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    if not meeting.body.is_active:
        raise ValidationError(_("%(body)s has been abolished.") % {"body": meeting.body})
    if meeting.body.kind == Body.Kind.UNCT and meeting.kind != Meeting.Kind.AD_HOC:
        raise ValidationError({"kind": _("UNCT meetings are recorded as ad hoc meetings.")})
    if meeting.unct_meeting_id and meeting.unct_meeting.body.kind != Body.Kind.UNCT:
        raise ValidationError({"unct_meeting": _("Choose a meeting of the UN Country Team.")})
    if meeting.kind == Meeting.Kind.EXTRAORDINARY:
        authority = extraordinary_authority(meeting.network)
        if not meeting.call_reason.strip():
            raise ValidationError({"call_reason": _("Say why the extraordinary meeting was called.")})
        if authority and meeting.called_by_id != authority.pk:
            raise ValidationError(
                {
                    "called_by": _("Under the charter only %(body)s can call an extraordinary meeting.")
                    % {"body": authority}
                }
            )
        if meeting.called_by_id is None:
            raise ValidationError({"called_by": _("Record who called the extraordinary meeting.")})


def _previous_held(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(body=meeting.body, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .first()
    )


def _open_agenda(meeting: Meeting, *, by, order: int = 1) -> None:
    """Every meeting after the first starts with the approval of the previous meeting's minutes."""
    previous = _previous_held(meeting)
    if previous:
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            title=str(MINUTES_ITEM),
            kind=AgendaItem.Kind.DECISION,
            previous_meeting=previous,
        )
        record_change(actor=by, obj=item, action=CREATE, network_id=meeting.network_id)


def _relink_previous_minutes(body: Body, *, by) -> None:
    """After a meeting moves or is cancelled, each coming meeting of the body approves the minutes
    of the meeting that now precedes it (the first one approves none)."""
    coming = (
        Meeting.objects.filter(body=body)
        .exclude(status__in=[Meeting.Status.HELD, Meeting.Status.CANCELLED])
        .prefetch_related("agenda_items")
    )
    for meeting in coming:
        item = next((i for i in meeting.agenda_items.all() if i.previous_meeting_id), None)
        previous = _previous_held(meeting)
        if item is None:
            if previous is not None:
                _open_agenda(meeting, by=by, order=0)  # before the items it already has
        elif previous is None:
            record_change(actor=by, obj=item, action=DELETE, network_id=meeting.network_id)
            item.delete()
        elif item.previous_meeting_id != previous.pk:
            save_changes(item, by=by, network_id=meeting.network_id, fields={"previous_meeting": previous})


@transaction.atomic
def schedule_meeting(
    *,
    by,
    body: Body,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    kind: str = Meeting.Kind.REGULAR,
    location: str = "",
    online_url: str = "",
    unct_meeting: Meeting | None = None,
    called_by: Body | None = None,
    call_reason: str = "",
    external_stakeholders: str = "",
    series: MeetingSeries | None = None,
) -> Meeting:
    """Schedule one meeting of a body, in the network's time zone."""
    if body.kind == Body.Kind.WORKING_GROUP and kind == Meeting.Kind.REGULAR:
        kind = Meeting.Kind.WORKING_GROUP
    meeting = Meeting(
        network=body.network,
        body=body,
        series=series,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=body.network.timezone,
        location=location,
        online_url=online_url,
        unct_meeting=unct_meeting,
        called_by=called_by,
        call_reason=call_reason,
        external_stakeholders=external_stakeholders,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _check(meeting)
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    record_change(actor=by, obj=meeting, action=CREATE, network_id=meeting.network_id)
    _open_agenda(meeting, by=by)
    return meeting


@transaction.atomic
def update_meeting(*, by, meeting: Meeting, **fields) -> Meeting:
    """Change a meeting; once its agenda was circulated, a calendar change raises SEQUENCE."""
    allowed = {
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "location",
        "online_url",
        "unct_meeting",
        "called_by",
        "call_reason",
        "external_stakeholders",
    }
    check_changeable(fields, allowed)
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        raise ValidationError(_("A meeting that was held or cancelled cannot be changed."))
    before = snapshot(meeting)
    for name, value in fields.items():
        setattr(meeting, name, value)
    _check(meeting)
    changes = diff(before, snapshot(meeting))
    resend = bool(changes.keys() & CALENDAR_FIELDS) and meeting.status == Meeting.Status.CIRCULATED
    if resend:
        meeting.sequence += 1
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    record_change(actor=by, obj=meeting, action=UPDATE, network_id=meeting.network_id, changes=changes)
    if "starts_at" in changes:
        _relink_previous_minutes(meeting.body, by=by)
    if resend:
        send_invitations(meeting, reason=gettext_lazy("Updated"))
    return meeting


@transaction.atomic
def cancel_meeting(*, by, meeting: Meeting, reason: str) -> Meeting:
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        raise ValidationError(_("This meeting was already held or cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    before = snapshot(meeting, ["status", "cancel_reason", "sequence"])
    was_sent = meeting.status == Meeting.Status.CIRCULATED
    if was_sent:
        meeting.sequence += 1
    meeting.status, meeting.cancel_reason = Meeting.Status.CANCELLED, reason.strip()
    meeting.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    record_change(
        actor=by,
        obj=meeting,
        action=UPDATE,
        network_id=meeting.network_id,
        changes=diff(before, snapshot(meeting, ["status", "cancel_reason", "sequence"])),
    )
    if was_sent:
        send_invitations(meeting, reason=gettext_lazy("Cancelled"))
    _relink_previous_minutes(meeting.body, by=by)
    return meeting


@transaction.atomic
def mark_held(*, by, meeting: Meeting) -> Meeting:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be held."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("A meeting can be marked as held once it has started."))
    before = meeting.status
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    record_change(
        actor=by,
        obj=meeting,
        action=UPDATE,
        network_id=meeting.network_id,
        changes={"status": [before, meeting.status]},
    )
    return meeting


# Circulation and calendars --------------------------------------------------------------------


def invitees(meeting: Meeting, seats: list | None = None) -> list[tuple[str, str]]:
    """(e-mail, name) of every current representative in the body, partners of a group included."""
    seats = expected_members(meeting) if seats is None else seats
    people = {p.email: p.full_name for seat in seats for p, _kind in seat["people"].values() if p.is_active}
    return sorted(people.items())


def meeting_url(meeting: Meeting) -> str:
    return settings.CONVENE_BASE_URL + reverse("meetings:detail", args=[meeting.network.slug, meeting.pk])


def _meeting_facts(meeting: Meeting) -> list[str]:
    """What, when (local date and time, with the zone) and where, in the active language."""
    local, end = meeting.local_start, meeting.local_end
    lines = [
        meeting.title,
        f"{meeting.body.tr.name} — {meeting.get_kind_display()}",
        f"{show_datetime(local, weekday=True)}–{show_time(end)} ({meeting.timezone})",
    ]
    return lines + [p for p in (meeting.location, meeting.online_url) if p]


def _agenda_text(meeting: Meeting) -> str:
    lines = _meeting_facts(meeting)
    items = [i for i in meeting.agenda_items.all() if i.status == AgendaItem.Status.ACCEPTED]
    if items:
        lines += ["", str(_("Draft agenda")), ""]
        for n, item in enumerate(items, start=1):
            extra = ", ".join(
                str(x)
                for x in (
                    item.get_kind_display(),
                    item.presenter,
                    f"{item.duration_minutes} min" if item.duration_minutes else "",
                )
                if x
            )
            lines.append(f"{n}. {item.title} ({extra})")
    lines += ["", meeting_url(meeting), "", str(_("Meeting information is for internal use of the network."))]
    return "\n".join(lines)


def _cancellation_text(meeting: Meeting) -> str:
    """What is cancelled, when and where it was to be held, and why."""
    lines = [_("This meeting is cancelled:"), "", *_meeting_facts(meeting), ""]
    lines += [_("Reason: %(reason)s") % {"reason": meeting.cancel_reason}, "", meeting_url(meeting)]
    return "\n".join(lines)


def _reaches_outside_the_network(meeting: Meeting) -> bool:
    """Whether the body's e-mails go to organisations outside the network (a working group's
    external partners)."""
    return (
        meeting.body.memberships.current(on=meeting.network.today())
        .filter(role=Membership.Role.EXTERNAL_PARTNER)
        .exists()
    )


def invitee_recipients(meeting: Meeting, seats: list | None = None) -> list[Recipient]:
    """Every current representative in the body, with the organisation they represent and the seat
    that makes them an invitee."""
    seats = expected_members(meeting) if seats is None else seats
    return [
        Recipient(
            person.email,
            person.full_name,
            seat["organisation"].acronym,
            seat_reason(kind=kind, organisation=seat["organisation"], body=meeting.body),
        )
        for seat in seats
        for person, kind in seat["people"].values()
        if person.is_active
    ]


def invitation_message(meeting: Meeting, *, reason) -> Message:
    """The invitation (or its update or cancellation) as it is sent to every invitee, each in their
    language with the invitation (.ics) in it. `reason` is a lazy text ("Invitation", "Updated"…)."""

    def compose() -> Content:
        cancelled = meeting.status == Meeting.Status.CANCELLED
        attendees = [(r.email, r.name) for r in message.recipients]
        return Content(
            subject=f"{reason}: {meeting.title} — {show_date(meeting.local_start)}",
            text=_cancellation_text(meeting) if cancelled else _agenda_text(meeting),
            calendar=calendar.invitation(meeting, attendees=attendees, url=meeting_url(meeting)),
        )

    message = Message(
        topic="invitation",
        network=meeting.network,
        compose=compose,
        recipients=invitee_recipients(meeting),
        attachment_names=["invite.ics"],
    )
    return message


def _queue_invitation(meeting: Meeting, message: Message) -> int:
    queue_message(message)
    return len(message.recipients)


def send_invitations(meeting: Meeting, *, reason) -> int:
    """Queue the invitation (or its update or cancellation) to every invitee, each with the .ics."""
    return _queue_invitation(meeting, invitation_message(meeting, reason=reason))


def agenda_circulation(meeting: Meeting) -> Message:
    """What circulating the agenda sends now, to whom: shown first, then sent by `circulate_agenda`."""
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.CIRCULATED):
        raise ValidationError(_("Only a meeting still to be held can be circulated."))
    again = meeting.status == Meeting.Status.CIRCULATED
    message = invitation_message(
        meeting, reason=gettext_lazy("Updated agenda") if again else gettext_lazy("Invitation")
    )
    if not message.recipients:
        raise ValidationError(_("Nobody represents a member of %(body)s yet.") % {"body": meeting.body})
    return message


@transaction.atomic
def circulate_agenda(*, by, meeting: Meeting) -> int:
    """Send the draft agenda with a calendar invitation to every representative of the body.
    Circulating again (after the agenda changed) sends an update."""
    message = agenda_circulation(meeting)
    before = snapshot(meeting, ["status", "sequence", "agenda_circulated_at"])
    if meeting.status == Meeting.Status.CIRCULATED:
        meeting.sequence += 1
    else:
        meeting.status, meeting.agenda_circulated_at = Meeting.Status.CIRCULATED, timezone.now()
    meeting.save(update_fields=["status", "sequence", "agenda_circulated_at", "updated_at"])
    record_change(
        actor=by,
        obj=meeting,
        action=UPDATE,
        network_id=meeting.network_id,
        changes=diff(before, snapshot(meeting, ["status", "sequence", "agenda_circulated_at"])),
    )
    return _queue_invitation(meeting, message)


@transaction.atomic
def renew_calendar_feed(*, user) -> CalendarFeed:
    """Create the person's feed address, or replace it (the old address stops working)."""
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(user=user, defaults={"token": token})
    record_change(
        actor=user,
        obj=feed,
        action=CREATE if created else UPDATE,
        network_id=None,
        changes={"token": ["…", "renewed"]},
    )
    return feed


@transaction.atomic
def revoke_calendar_feed(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


# Series ----------------------------------------------------------------------------------------

MAX_OCCURRENCES = 40


def occurrences(
    rrule: str, *, first_day: datetime.date, start: datetime.time, tz: str
) -> list[datetime.datetime]:
    """The start of every occurrence of an RRULE (a COUNT or UNTIL is required), in `tz`."""
    if "COUNT=" not in rrule.upper() and "UNTIL=" not in rrule.upper():
        raise ValidationError({"rrule": _("Say how many meetings (COUNT) or until when (UNTIL).")})
    dtstart = local_datetime(first_day, start, tz).replace(tzinfo=None)
    try:
        rule = rrulestr(rrule, dtstart=dtstart)
        starts = [d.replace(tzinfo=ZoneInfo(tz)) for d in rule[: MAX_OCCURRENCES + 1]]
    except (ValueError, TypeError) as exc:
        raise ValidationError({"rrule": _("Not a recurrence rule: %(error)s") % {"error": exc}}) from None
    if not starts:
        raise ValidationError({"rrule": _("This rule gives no meeting.")})
    if len(starts) > MAX_OCCURRENCES:
        raise ValidationError({"rrule": _("At most %(n)d meetings at once.") % {"n": MAX_OCCURRENCES}})
    return starts


@transaction.atomic
def schedule_series(
    *,
    by,
    body: Body,
    title: str,
    rrule: str,
    first_day: datetime.date,
    start: datetime.time,
    duration: datetime.timedelta,
    location: str = "",
    online_url: str = "",
    description: str = "",
) -> MeetingSeries:
    """Create a series and one meeting per occurrence; each occurrence can then be edited alone."""
    starts = occurrences(rrule, first_day=first_day, start=start, tz=body.network.timezone)
    series = MeetingSeries.objects.create(
        network=body.network, body=body, title=title.strip(), rrule=rrule.strip(), description=description
    )
    record_change(actor=by, obj=series, action=CREATE, network_id=body.network_id)
    kind = Meeting.Kind.WORKING_GROUP if body.kind == Body.Kind.WORKING_GROUP else Meeting.Kind.REGULAR
    for i, starts_at in enumerate(starts, start=1):
        schedule_meeting(
            by=by,
            body=body,
            title=f"{series.title} ({i})" if len(starts) > 1 else series.title,
            starts_at=starts_at,
            ends_at=starts_at + duration,
            kind=kind,
            location=location,
            online_url=online_url,
            series=series,
        )
    return series


# Agenda ----------------------------------------------------------------------------------------


def _check_editable(meeting: Meeting) -> None:
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        raise ValidationError(_("The agenda of a meeting that was held or cancelled cannot change."))


def _next_order(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def add_agenda_item(
    *,
    by,
    meeting: Meeting,
    title: str,
    kind: str = AgendaItem.Kind.DISCUSSION,
    description: str = "",
    presenter: Organisation | None = None,
    duration_minutes: int | None = None,
    status: str = AgendaItem.Status.ACCEPTED,
) -> AgendaItem:
    _check_editable(meeting)
    item = AgendaItem(
        meeting=meeting,
        order=_next_order(meeting),
        title=title.strip(),
        kind=kind,
        description=description,
        presenter=presenter,
        duration_minutes=duration_minutes,
        status=status,
        proposed_by=by if status == AgendaItem.Status.PROPOSED else None,
    )
    item.full_clean()
    item.save()
    record_change(actor=by, obj=item, action=CREATE, network_id=meeting.network_id)
    return item


def suggest_agenda_item(*, by, meeting: Meeting, **fields) -> AgendaItem:
    """A member suggests an item; the Secretariat or co-chairs accept or decline it."""
    return add_agenda_item(by=by, meeting=meeting, status=AgendaItem.Status.PROPOSED, **fields)


@transaction.atomic
def update_agenda_item(*, by, item: AgendaItem, **fields) -> AgendaItem:
    allowed = {"title", "kind", "description", "presenter", "duration_minutes"}
    check_changeable(fields, allowed)
    _check_editable(item.meeting)
    before = snapshot(item, list(fields))
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    record_change(
        actor=by,
        obj=item,
        action=UPDATE,
        network_id=item.meeting.network_id,
        changes=diff(before, snapshot(item, list(fields))),
    )
    return item


@transaction.atomic
def decide_suggestion(*, by, item: AgendaItem, accept: bool, reason: str = "") -> AgendaItem:
    if item.status != AgendaItem.Status.PROPOSED:
        raise ValidationError(_("Only a suggested item can be accepted or declined."))
    _check_editable(item.meeting)
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the item is declined.")})
    before = item.status
    item.status = AgendaItem.Status.ACCEPTED if accept else AgendaItem.Status.DECLINED
    item.decline_reason = "" if accept else reason.strip()
    item.save(update_fields=["status", "decline_reason", "updated_at"])
    record_change(
        actor=by,
        obj=item,
        action=UPDATE,
        network_id=item.meeting.network_id,
        changes={"status": [before, item.status]},
    )
    return item


@transaction.atomic
def reorder_agenda(*, by, meeting: Meeting, item_ids: list[int]) -> None:
    """Put the agenda's items in the given order (drag and drop, or up/down)."""
    _check_editable(meeting)
    items = {i.pk: i for i in meeting.agenda_items.select_for_update()}
    if sorted(item_ids) != sorted(items):
        raise ValidationError(_("The new order must list every item of this agenda once."))
    before = [i.pk for i in sorted(items.values(), key=lambda i: (i.order, i.pk))]
    for order, pk in enumerate(item_ids, start=1):
        items[pk].order = order
    AgendaItem.objects.bulk_update(items.values(), ["order"])
    if before != item_ids:
        record_change(
            actor=by,
            obj=meeting,
            action=UPDATE,
            network_id=meeting.network_id,
            changes={"agenda order": [before, item_ids]},
        )


def move_agenda_item(*, by, item: AgendaItem, step: int) -> None:
    """Move an item one place up (-1) or down (+1)."""
    order = list(item.meeting.agenda_items.order_by("order", "pk").values_list("pk", flat=True))
    i = order.index(item.pk)
    j = min(max(i + step, 0), len(order) - 1)
    order.insert(j, order.pop(i))
    reorder_agenda(by=by, meeting=item.meeting, item_ids=order)


@transaction.atomic
def remove_agenda_item(*, by, item: AgendaItem) -> None:
    _check_editable(item.meeting)
    record_change(
        actor=by,
        obj=item,
        action=DELETE,
        network_id=item.meeting.network_id,
        changes={"title": [item.title, None]},
    )
    item.delete()


# Attendance ------------------------------------------------------------------------------------


def expected_members(meeting: Meeting) -> list:
    """The organisations that sit in the body (each should be represented), with their current
    representatives: {"organisation": …, "people": {person id: (person, kind)}}."""
    today = meeting.network.today()
    current = Representative.objects.filter(in_term(today)).select_related("person")
    memberships = (
        meeting.body.memberships.current(on=today)
        .select_related("organisation")
        .prefetch_related(Prefetch("representatives", queryset=current))
        .order_by("organisation__acronym")
    )
    seats = {}
    for m in memberships:
        seat = seats.setdefault(m.organisation_id, {"organisation": m.organisation, "people": {}})
        for rep in m.representatives.all():
            seat["people"][rep.person_id] = (rep.person, rep.kind)
    return list(seats.values())


@transaction.atomic
def record_attendance(*, by, meeting: Meeting, rows: list[dict]) -> list[Attendance]:
    """Record, for each member organisation, who represented it (principal, alternate or a designate)
    or that it sent apologies or was absent. Rows replace what was recorded before. A refusal names
    the rows in error: its messages are keyed by the organisation's acronym."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no attendance."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the meeting has started."))
    seats = {s["organisation"].pk: s for s in expected_members(meeting)}
    errors, records, seen = {}, [], set()  # errors by organisation (acronym): the row in error
    for row in rows:
        org = row["organisation"]
        problems = errors.setdefault(org.acronym or str(org), [])
        if org.pk in seen:
            problems.append(_("%(org)s is listed twice.") % {"org": org})
            continue
        seen.add(org.pk)
        seat = seats.get(org.pk)
        if seat is None:
            problems.append(_("%(org)s does not sit in %(body)s.") % {"org": org, "body": meeting.body})
            continue
        person, name = row.get("person"), (row.get("designate_name") or "").strip()
        if control_characters(name):  # saved in bulk, past the model's own check
            problems.append(_("%(org)s: write the designate's name on one line.") % {"org": org})
            continue
        capacity = ""
        if row["status"] == Attendance.Status.PRESENT:
            if person is not None:
                if person.pk not in seat["people"]:
                    problems.append(_("%(p)s does not represent %(org)s here.") % {"p": person, "org": org})
                    continue
                capacity = seat["people"][person.pk][1]
            elif name:
                capacity = Attendance.Capacity.DESIGNATE
            else:
                problems.append(_("Say who represented %(org)s.") % {"org": org})
                continue
        elif person is not None or name:
            person, name = None, ""
        records.append(
            Attendance(
                meeting=meeting,
                organisation=org,
                status=row["status"],
                person=person,
                capacity=capacity,
                designate_name=name if capacity == "designate" else "",
            )
        )
    errors = {key: problems for key, problems in errors.items() if problems}
    if errors:
        raise ValidationError(errors)
    before = {a.organisation_id: a.status for a in meeting.attendance.all()}
    meeting.attendance.filter(organisation_id__in=[r.organisation_id for r in records]).delete()
    Attendance.objects.bulk_create(records)
    after = {r.organisation_id: r.status for r in records}
    changes = {
        str(seats[k]["organisation"]): [before.get(k), v] for k, v in after.items() if before.get(k) != v
    }
    record_change(
        actor=by,
        obj=meeting,
        action=UPDATE,
        network_id=meeting.network_id,
        changes={"attendance": changes} if changes else None,
    )
    return records


def attendance_summary(meeting: Meeting, *, seats: list, records: list[Attendance]) -> dict:
    """Every member represented? (Kazakhstan: each member shall be represented at the meetings.)"""
    recorded = {a.organisation_id: a for a in records}
    present = {
        s["organisation"].pk
        for s in seats
        if getattr(recorded.get(s["organisation"].pk), "status", "") == "present"
    }
    missing = [s["organisation"] for s in seats if s["organisation"].pk not in present]
    return {
        "expected": len(seats),
        "present": len(present),
        "missing": missing,
        "all_represented": bool(seats) and not missing,
        "recorded": bool(recorded),
    }


def attendance_rates(body: Body) -> list[dict]:
    """Per organisation: meetings of the body attended out of those held (held meetings only)."""
    held = Meeting.objects.filter(body=body, status=Meeting.Status.HELD)
    total = held.count()
    rows = (
        Attendance.objects.filter(meeting__in=held)
        .values("organisation__acronym")
        .annotate(
            present=Count("id", filter=Q(status=Attendance.Status.PRESENT)),
            apologies=Count("id", filter=Q(status=Attendance.Status.APOLOGIES)),
        )
        .order_by("organisation__acronym")
    )
    return [
        {
            "organisation": r["organisation__acronym"],
            "present": r["present"],
            "apologies": r["apologies"],
            "held": total,
            "rate": round(100 * r["present"] / total) if total else None,
        }
        for r in rows
    ]


# Minutes ---------------------------------------------------------------------------------------

MINUTES_FIELDS = ("notes", "decisions", "action_points")


def current_minutes(meeting: Meeting) -> Minutes | None:
    return meeting.minutes.order_by("-version").first()


@transaction.atomic
def start_minutes(*, by, meeting: Meeting) -> Minutes:
    """A draft with one section per item of the agenda as it was held."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Minutes are written once the meeting has started."))
    if meeting.minutes.exists():
        raise ValidationError(_("This meeting already has minutes."))
    minutes = Minutes.objects.create(meeting=meeting)
    agenda = meeting.agenda_items.filter(status=AgendaItem.Status.ACCEPTED).order_by("order", "pk")
    MinutesItem.objects.bulk_create(
        MinutesItem(minutes=minutes, agenda_item=item, order=n, title=item.title)
        for n, item in enumerate(agenda, start=1)
    )
    record_change(actor=by, obj=minutes, action=CREATE, network_id=meeting.network_id)
    return minutes


@transaction.atomic
def save_minutes(
    *, by, minutes: Minutes, revision: int, summary: str | None, items: dict[int, dict]
) -> Minutes:
    """Save the draft. `revision` is the one the editor started from: if someone saved since,
    the save is refused rather than overwriting their work. A summary of None, a section left out of
    `items` and a field left out of a section are kept as saved."""
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if locked.is_locked:
        raise ValidationError(_("Approved minutes cannot be edited; make a correction instead."))
    if locked.status != Minutes.Status.DRAFT:
        # The members comment on the text they were sent: it changes only as a new version.
        raise ValidationError(
            _("These minutes were circulated for comments; revise them as a new version instead.")
        )
    if locked.revision != revision:
        raise ValidationError(
            _(
                "Someone else saved these minutes since you opened them. Your text is kept below, "
                "beside the version now saved: compare them, then save yours again to replace it."
            ),
            code="stale",
        )
    changes = {}
    if summary is not None and locked.summary != summary:
        changes["summary"] = [locked.summary[:80], summary[:80]]
        locked.summary = summary
    sections = {i.pk: i for i in locked.items.all()}
    if unknown := set(items) - set(sections):
        raise ValidationError(_("Unknown sections: %s") % ", ".join(map(str, sorted(unknown))))
    changed = []
    for pk, values in items.items():
        section = sections[pk]
        for field in MINUTES_FIELDS:
            if field in values and getattr(section, field) != values[field]:
                setattr(section, field, values[field])
                changes[f"{section.title[:40]}: {field}"] = ["…", "changed"]
                changed.append(section)
    MinutesItem.objects.bulk_update(set(changed), list(MINUTES_FIELDS))
    locked.revision += 1
    locked.save(update_fields=["summary", "revision", "updated_at"])
    record_change(actor=by, obj=locked, action=UPDATE, network_id=locked.meeting.network_id, changes=changes)
    minutes.refresh_from_db()
    return minutes


def _minutes_url(minutes: Minutes) -> str:
    meeting = minutes.meeting
    return settings.CONVENE_BASE_URL + reverse("meetings:minutes", args=[meeting.network.slug, meeting.pk])


def _set_status(minutes: Minutes, *, by, **fields) -> None:
    before = snapshot(minutes, list(fields))
    for name, value in fields.items():
        setattr(minutes, name, value)
    minutes.save(update_fields=[*fields, "updated_at"])
    record_change(
        actor=by,
        obj=minutes,
        action=UPDATE,
        network_id=minutes.meeting.network_id,
        changes=diff(before, snapshot(minutes, list(fields))),
    )


@transaction.atomic
def circulate_minutes(*, by, minutes: Minutes, comment_deadline: datetime.date) -> int:
    """Send the draft to the body's representatives for comments, by a no-objection deadline."""
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Only draft minutes are circulated for comments."))
    if comment_deadline <= minutes.meeting.network.today():
        raise ValidationError({"comment_deadline": _("Give the members at least until tomorrow.")})
    _set_status(
        minutes,
        by=by,
        status=Minutes.Status.CIRCULATED,
        circulated_at=timezone.now(),
        comment_deadline=comment_deadline,
    )
    meeting = minutes.meeting
    message = Message(
        topic="minutes",
        network=meeting.network,
        recipients=invitee_recipients(meeting),
        compose=lambda: Content(
            subject=_("Draft minutes for comments: %(m)s") % {"m": meeting.title},
            text=_(
                "The draft minutes of %(m)s are ready for your comments until %(d)s. Without objection "
                "by then they can be approved.\n\n%(url)s\n"
            )
            % {"m": meeting.title, "d": show_date(comment_deadline), "url": _minutes_url(minutes)},
        ),
    )
    queue_message(message)
    return len(message.recipients)


@transaction.atomic
def comment_on_minutes(*, by, minutes: Minutes, text: str) -> MinutesComment:
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Comments are taken while the minutes are circulated."))
    if not text.strip():
        raise ValidationError({"text": _("Write your comment.")})
    comment = MinutesComment.objects.create(minutes=minutes, author=by, text=text.strip())
    record_change(actor=by, obj=comment, action=CREATE, network_id=minutes.meeting.network_id)
    return comment


@transaction.atomic
def approve_minutes(*, by, minutes: Minutes, at_meeting: Meeting | None = None, note: str = "") -> Minutes:
    """Approve at a later meeting of the body, or once the no-objection deadline has passed."""
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Minutes are approved after they were circulated for comments."))
    if at_meeting is not None:
        if at_meeting.body_id != minutes.meeting.body_id or at_meeting.starts_at <= minutes.meeting.starts_at:
            raise ValidationError({"at_meeting": _("Choose a later meeting of the same body.")})
        if at_meeting.status == Meeting.Status.CANCELLED or at_meeting.starts_at > timezone.now():
            raise ValidationError(
                {
                    "at_meeting": _(
                        "%(m)s has not taken place: minutes are approved at a meeting once it is held."
                    )
                    % {"m": at_meeting}
                }
            )
    elif minutes.comment_deadline and minutes.comment_deadline >= minutes.meeting.network.today():
        raise ValidationError(
            _("The no-objection period runs until %(d)s; approve after it, or at the next meeting.")
            % {"d": show_date(minutes.comment_deadline)}
        )
    _set_status(
        minutes,
        by=by,
        status=Minutes.Status.APPROVED,
        approved_at=timezone.now(),
        approved_at_meeting=at_meeting,
        approval_note=note
        or (
            _("No objection by %(d)s") % {"d": show_date(minutes.comment_deadline)}
            if at_meeting is None
            else ""
        ),
    )
    return minutes


@transaction.atomic
def disseminate_minutes(*, by, minutes: Minutes) -> int:
    """Send the approved minutes to the members, with the PDF in each one's language, and keep them
    in the record."""
    from . import documents  # the documents read the services

    if minutes.status != Minutes.Status.APPROVED:
        raise ValidationError(_("Only approved minutes are disseminated."))
    _set_status(minutes, by=by, status=Minutes.Status.DISSEMINATED, disseminated_at=timezone.now())
    meeting = minutes.meeting
    name = documents.file_name(meeting, "minutes", "pdf")
    # Released minutes are public. Otherwise they are internal, and where a working group's external
    # partners (outside the network) receive them, for the named recipients only.
    released = release_status.is_released(minutes)
    outside = not released and _reaches_outside_the_network(meeting)

    def compose() -> Content:
        values = {"m": meeting.title, "url": _minutes_url(minutes)}
        if released:
            text = _("The approved minutes of %(m)s are attached and kept at %(url)s\n") % values
        else:
            text = (
                _(
                    "The approved minutes of %(m)s are attached and kept at %(url)s\n\nFor internal use of "
                    "the network.\n"
                )
                % values
            )
        if outside:
            text += f"{release_status.INTERNAL_MARKING}\n"
        return Content(subject=_("Minutes: %(m)s") % {"m": meeting.title}, text=text)

    message = Message(
        topic="minutes",
        network=meeting.network,
        recipients=invitee_recipients(meeting),
        compose=compose,
        attachment_names=[name],
        attach=lambda: [(name, documents.pdf(documents.minutes_data(minutes)), "application/pdf")],
    )
    queue_message(message)
    return len(message.recipients)


def approved_minutes(meeting: Meeting) -> Minutes | None:
    """The version that counts: the latest approved one (a correction may be in draft after it)."""
    locked = (Minutes.Status.APPROVED, Minutes.Status.DISSEMINATED)
    return meeting.minutes.filter(status__in=locked).order_by("-version").first()


def _new_version(*, by, minutes: Minutes, link: str) -> Minutes:
    """A new draft version with the text of `minutes`, pointing at it; `minutes` stays as it is.
    `link` says how in the audit log ("corrects" or "revises")."""
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)  # one new version at a time
    if locked.corrections.exists():
        raise ValidationError(_("A later version of this one already exists."))
    latest = locked.meeting.minutes.order_by("-version").first()
    new = Minutes.objects.create(
        meeting=locked.meeting, version=latest.version + 1, summary=locked.summary, corrects=locked
    )
    MinutesItem.objects.bulk_create(
        MinutesItem(
            minutes=new,
            agenda_item_id=i.agenda_item_id,
            order=i.order,
            title=i.title,
            notes=i.notes,
            decisions=i.decisions,
            action_points=i.action_points,
        )
        for i in locked.items.all()
    )
    record_change(
        actor=by,
        obj=new,
        action=CREATE,
        network_id=locked.meeting.network_id,
        changes={link: [None, f"v{locked.version}"]},
    )
    return new


@transaction.atomic
def correct_minutes(*, by, minutes: Minutes) -> Minutes:
    """A new draft version that corrects approved minutes; the approved text stays as it was."""
    if not minutes.is_locked:
        raise ValidationError(_("Only approved minutes are corrected; edit the draft instead."))
    if minutes.corrections.exists():
        raise ValidationError(_("A correction of this version already exists."))
    return _new_version(by=by, minutes=minutes, link="corrects")


@transaction.atomic
def revise_minutes(*, by, minutes: Minutes) -> Minutes:
    """A new draft version answering the comments on circulated minutes, to circulate again with a
    fresh deadline; the circulated version is kept, with its comments, as revised."""
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Only minutes circulated for comments are revised."))
    new = _new_version(by=by, minutes=minutes, link="revises")
    _set_status(minutes, by=by, status=Minutes.Status.REVISED)
    return new


@transaction.atomic
def attach_paper(*, by, item: AgendaItem, upload, title: str = "", confidentiality: str = "internal"):
    """Upload a paper for an agenda item (internal, or restricted to the meeting's body)."""
    _check_editable(item.meeting)
    document = upload_document(
        by=by,
        network=item.meeting.network,
        upload=upload,
        title=title,
        confidentiality=confidentiality,
        body=item.meeting.body if confidentiality == "restricted" else None,
    )
    item.documents.add(document)
    record_change(
        actor=by,
        obj=item,
        action=UPDATE,
        network_id=item.meeting.network_id,
        changes={"papers": [None, document.title]},
    )
    return document
