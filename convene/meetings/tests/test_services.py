"""Scheduling, series, the charter's rules for extraordinary meetings, and the agenda."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from convene.core.models import ChangeLog
from convene.decisions import testing as charter_powers
from convene.meetings import services
from convene.meetings.models import AgendaItem, Meeting

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock


def test_meeting_times_are_stored_in_utc_from_the_network_zone(kenya):
    starts = services.local_datetime(datetime.date(2027, 3, 9), datetime.time(10, 0), kenya.timezone)
    meeting = services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q1",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime.datetime(2027, 3, 9, 7, 0, tzinfo=datetime.UTC)
    assert meeting.timezone == "Africa/Nairobi"


def test_a_meeting_must_end_after_it_starts(kenya, soon):
    with pytest.raises(ValidationError, match="end after it starts"):
        services.schedule_meeting(
            by=None, body=kenya.bodies.get(slug="network"), title="X", starts_at=soon, ends_at=soon
        )
    assert not Meeting.objects.exists()


def test_kenya_extraordinary_meetings_are_called_by_the_executive_committee(kenya, soon):
    plenary, committee = kenya.bodies.get(slug="network"), kenya.bodies.get(slug="executive-committee")
    args = dict(
        by=None,
        body=plenary,
        title="Extraordinary",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=1),
        kind=Meeting.Kind.EXTRAORDINARY,
    )
    with pytest.raises(ValidationError, match="Say why"):
        services.schedule_meeting(**args, called_by=committee)
    with pytest.raises(ValidationError, match="only Executive Committee can call"):
        services.schedule_meeting(**args, called_by=plenary, call_reason="Crisis")
    meeting = services.schedule_meeting(**args, called_by=committee, call_reason="Floods displacing migrants")
    assert meeting.called_by == committee


def test_working_group_meetings_take_the_working_group_kind(kenya, soon):
    group = charter_powers.establish_working_group(network=kenya, name="TWG")
    meeting = services.schedule_meeting(
        by=None, body=group, title="TWG 1", starts_at=soon, ends_at=soon + datetime.timedelta(hours=1)
    )
    assert meeting.kind == Meeting.Kind.WORKING_GROUP


def test_next_meeting_opens_with_approval_of_the_previous_minutes(quarterly, kenya, soon):
    later = soon + datetime.timedelta(days=90)
    second = services.schedule_meeting(
        by=None, body=quarterly.body, title="Q2", starts_at=later, ends_at=later + datetime.timedelta(hours=2)
    )
    first_item = second.agenda_items.get()
    assert first_item.title == "Approval of the minutes of the previous meeting"
    assert first_item.previous_meeting == quarterly and first_item.kind == "decision"
    assert not quarterly.agenda_items.exists()


def test_overlapping_meetings_of_a_body_are_found(quarterly, soon):
    other = services.schedule_meeting(
        by=None,
        body=quarterly.body,
        title="Clash",
        starts_at=soon + datetime.timedelta(hours=1),
        ends_at=soon + datetime.timedelta(hours=3),
    )
    assert list(services.overlapping(other)) == [quarterly]


def test_quarterly_series_on_the_second_tuesday_of_the_last_month(kazakhstan):
    series = services.schedule_series(
        by=None,
        body=kazakhstan.bodies.get(slug="network"),
        title="Quarterly meeting",
        rrule="FREQ=MONTHLY;BYMONTH=3,6,9,12;BYDAY=+2TU;COUNT=4",
        first_day=datetime.date(2027, 1, 1),
        start=datetime.time(15, 0),
        duration=datetime.timedelta(hours=2),
    )
    almaty = ZoneInfo("Asia/Almaty")
    days = [m.starts_at.astimezone(almaty) for m in series.meetings.order_by("starts_at")]
    assert [d.date() for d in days] == [
        datetime.date(2027, 3, 9),
        datetime.date(2027, 6, 8),
        datetime.date(2027, 9, 14),
        datetime.date(2027, 12, 14),
    ]
    assert all(d.hour == 15 for d in days)
    later = series.meetings.order_by("starts_at")[1]
    assert later.agenda_items.get().previous_meeting is not None  # each occurrence is a meeting of its own


@pytest.mark.parametrize(
    ("rrule", "message"),
    [
        ("FREQ=MONTHLY", "COUNT"),
        ("FREQ=SOMETIMES;COUNT=3", "Not a recurrence rule"),
        ("FREQ=DAILY;COUNT=500", "At most 40"),
    ],
)
def test_bad_series_rules_are_refused_and_create_nothing(kenya, rrule, message):
    with pytest.raises(ValidationError, match=message):
        services.schedule_series(
            by=None,
            body=kenya.bodies.get(slug="network"),
            title="S",
            rrule=rrule,
            first_day=datetime.date(2027, 1, 1),
            start=datetime.time(9),
            duration=datetime.timedelta(hours=1),
        )
    assert not Meeting.objects.exists()


def test_changing_a_circulated_meeting_raises_its_calendar_sequence(quarterly):
    services.update_meeting(by=None, meeting=quarterly, location="Online")
    assert quarterly.sequence == 0  # not sent yet
    Meeting.objects.filter(pk=quarterly.pk).update(status=Meeting.Status.CIRCULATED)
    quarterly.refresh_from_db()
    services.update_meeting(by=None, meeting=quarterly, location="UN House")
    assert quarterly.sequence == 1
    services.cancel_meeting(by=None, meeting=quarterly, reason="Public holiday")
    assert (quarterly.status, quarterly.sequence) == ("cancelled", 2)
    with pytest.raises(ValidationError):
        services.update_meeting(by=None, meeting=quarterly, title="Too late")


def test_agenda_order_moves_and_reorders(quarterly):
    a, b, c = (services.add_agenda_item(by=None, meeting=quarterly, title=t) for t in "ABC")
    services.move_agenda_item(by=None, item=c, step=-1)
    assert list(quarterly.agenda_items.values_list("title", flat=True)) == ["A", "C", "B"]
    services.reorder_agenda(by=None, meeting=quarterly, item_ids=[b.pk, a.pk, c.pk])
    assert list(quarterly.agenda_items.values_list("title", flat=True)) == ["B", "A", "C"]
    with pytest.raises(ValidationError, match="every item"):
        services.reorder_agenda(by=None, meeting=quarterly, item_ids=[a.pk, b.pk])


def test_suggestions_are_accepted_or_declined_with_a_reason(quarterly):
    item = services.suggest_agenda_item(by=None, meeting=quarterly, title="Data sharing protocol")
    assert item.status == AgendaItem.Status.PROPOSED
    with pytest.raises(ValidationError, match="Say why"):
        services.decide_suggestion(by=None, item=item, accept=False)
    services.decide_suggestion(by=None, item=item, accept=False, reason="Next quarter")
    assert item.status == "declined" and item.decline_reason == "Next quarter"
    with pytest.raises(ValidationError, match="Only a suggested item"):
        services.decide_suggestion(by=None, item=item, accept=True)


def test_agenda_of_a_held_meeting_is_frozen(quarterly):
    Meeting.objects.filter(pk=quarterly.pk).update(status=Meeting.Status.HELD)
    quarterly.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot change"):
        services.add_agenda_item(by=None, meeting=quarterly, title="Late item")


def test_meeting_changes_are_audited(quarterly, kenya):
    services.update_meeting(by=None, meeting=quarterly, title="First quarterly meeting")
    entry = ChangeLog.objects.filter(network_id=kenya.pk, content_type__model="meeting").latest("id")
    assert entry.changes == {"title": ["Q1 meeting", "First quarterly meeting"]}


def test_a_meeting_is_named_by_its_local_day(kenya):
    starts = services.local_datetime(datetime.date(2027, 3, 10), datetime.time(2, 0), kenya.timezone)
    meeting = services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Early",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )
    assert str(meeting) == "Early (2027-03-10)"  # 23:00 UTC the day before


def test_moving_a_meeting_keeps_each_approval_of_minutes_on_the_meeting_before_it(quarterly, soon):
    hours = datetime.timedelta(hours=2)
    q2, q3 = (soon + datetime.timedelta(days=d) for d in (90, 180))
    second = services.schedule_meeting(
        by=None, body=quarterly.body, title="Q2", starts_at=q2, ends_at=q2 + hours
    )
    third = services.schedule_meeting(
        by=None, body=quarterly.body, title="Q3", starts_at=q3, ends_at=q3 + hours
    )
    assert third.agenda_items.get().previous_meeting == second

    # The first meeting moves after the second: the second now opens the year, the first follows it.
    moved = soon + datetime.timedelta(days=120)
    services.update_meeting(by=None, meeting=quarterly, starts_at=moved, ends_at=moved + hours)
    assert not second.agenda_items.filter(previous_meeting__isnull=False).exists()
    assert quarterly.agenda_items.get(previous_meeting__isnull=False).previous_meeting == second
    assert third.agenda_items.get().previous_meeting == quarterly

    # Cancelled, it no longer counts as the meeting before the third.
    services.cancel_meeting(by=None, meeting=quarterly, reason="Postponed sine die")
    assert third.agenda_items.get().previous_meeting == second
