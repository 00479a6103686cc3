"""Attendance per member organisation: who represented it, whether every member was represented,
and attendance rates over time."""

import datetime

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from convene.accounts.models import User
from convene.meetings import services
from convene.meetings.models import Attendance, Meeting
from convene.networks import services as networks
from convene.networks.models import Membership, Organisation, Representative

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock


@pytest.fixture
def started(kazakhstan):
    start = timezone.now() - datetime.timedelta(hours=1)
    return services.schedule_meeting(
        by=None,
        body=kazakhstan.bodies.get(slug="network"),
        title="Q4",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


def test_every_member_represented_is_known(started, seat, kazakhstan):
    iom = seat(kazakhstan, "network", "IOM")
    rows = [
        {"organisation": m.organisation, "status": "present", "designate_name": f"{m.organisation} designate"}
        for m in Membership.objects.filter(body=started.body)
    ]
    rows = [r for r in rows if r["organisation"] != org("IOM")]
    rows.append({"organisation": org("IOM"), "status": "present", "person": iom})
    services.record_attendance(by=None, meeting=started, rows=rows)
    records = list(started.attendance.all())
    summary = services.attendance_summary(started, seats=services.expected_members(started), records=records)
    assert summary["all_represented"] and summary["present"] == summary["expected"] == 10
    assert started.attendance.get(organisation=org("IOM")).capacity == "principal"
    services.record_attendance(
        by=None, meeting=started, rows=[{"organisation": org("UNFPA"), "status": "apologies"}]
    )
    records = list(started.attendance.all())
    summary = services.attendance_summary(started, seats=services.expected_members(started), records=records)
    assert not summary["all_represented"] and [str(o) for o in summary["missing"]] == ["UNFPA"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"organisation": "WFP", "status": "present", "designate_name": "X"}, "does not sit in"),
        ({"organisation": "UNFPA", "status": "present"}, "Say who represented UNFPA"),
    ],
)
def test_bad_attendance_rows_change_nothing(started, row, message):
    row = {**row, "organisation": org(row["organisation"])}
    rows = [row, row] if row.pop("twice", False) else [row]
    with pytest.raises(ValidationError, match=message):
        services.record_attendance(by=None, meeting=started, rows=rows)
    assert not Attendance.objects.exists()


def test_a_person_must_represent_the_organisation(started, seat, kazakhstan):
    someone = seat(kazakhstan, "network", "UNDP")
    with pytest.raises(ValidationError, match="does not represent UNFPA"):
        services.record_attendance(
            by=None,
            meeting=started,
            rows=[{"organisation": org("UNFPA"), "status": "present", "person": someone}],
        )


def test_attendance_waits_for_the_meeting(kazakhstan, soon):
    meeting = services.schedule_meeting(
        by=None,
        body=kazakhstan.bodies.get(slug="network"),
        title="Later",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationError, match="once the meeting has started"):
        services.record_attendance(by=None, meeting=meeting, rows=[])


def test_attendance_rates_per_organisation(kazakhstan):
    body = kazakhstan.bodies.get(slug="network")
    for weeks in (10, 5):
        start = timezone.now() - datetime.timedelta(weeks=weeks)
        m = services.schedule_meeting(
            by=None,
            body=body,
            title=f"M{weeks}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        )
        services.record_attendance(
            by=None,
            meeting=m,
            rows=[
                {"organisation": org("UNDP"), "status": "present", "designate_name": "D"},
                {
                    "organisation": org("UNFPA"),
                    "status": "present" if weeks == 10 else "apologies",
                    "designate_name": "D",
                },
            ],
        )
        services.mark_held(by=None, meeting=m)
    rates = {r["organisation"]: r for r in services.attendance_rates(body)}
    assert rates["UNDP"]["rate"] == 100 and rates["UNFPA"]["rate"] == 50 and rates["UNFPA"]["apologies"] == 1


def test_attendance_page_saves_and_the_meeting_page_stays_flat(
    client, kazakhstan, kazakhstan_secretariat, started
):
    client.force_login(kazakhstan_secretariat)
    url = reverse("meetings:attendance", args=["kazakhstan", started.pk])
    iom_person = kazakhstan_secretariat
    form = {
        f"status-{org('UNDP').pk}": "present",
        f"designate-{org('UNDP').pk}": "Deputy RR",
        f"status-{org('UNFPA').pk}": "apologies",
    }
    assert client.post(url, form).status_code == 302
    assert dict(started.attendance.values_list("organisation__acronym", "status")) == {
        "UNDP": "present",
        "UNFPA": "apologies",
    }
    bad = client.post(url, {f"status-{org('UNHCR').pk}": "present"})
    assert "Say who represented UNHCR." in bad.content.decode()
    assert iom_person

    detail = reverse("meetings:detail", args=["kazakhstan", started.pk])

    def count():
        caches["fragments"].clear()  # as rendered first after a change
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(detail).status_code == 200
        return len(ctx.captured_queries)

    services.add_agenda_item(by=None, meeting=started, title="First item")
    client.get(detail)
    few = count()
    # 30 agenda items and 50 attendees
    for i in range(29):
        services.add_agenda_item(by=None, meeting=started, title=f"Item {i}", presenter=org("IOM"))
    rows = []
    for i in range(48):
        cso = Organisation.objects.create(acronym=f"C{i}", name=f"CSO {i}", kind="cso", country="KZ")
        membership = Membership.objects.create(body=started.body, organisation=cso)
        person = User.objects.create_user(email=f"p{i}@c.kz", full_name=f"P {i}")
        Representative.objects.create(membership=membership, person=person)
        rows.append({"organisation": cso, "status": "present", "person": person})
    services.record_attendance(by=None, meeting=started, rows=rows)
    assert Attendance.objects.filter(meeting=started).count() == 50
    assert count() == few <= 12
    Meeting.objects.filter(pk=started.pk).update(status="held")


def test_meetings_of_a_body_show_attendance_rates(client, kazakhstan, kazakhstan_secretariat, started):
    services.record_attendance(
        by=None,
        meeting=started,
        rows=[{"organisation": org("UNDP"), "status": "present", "designate_name": "D"}],
    )
    services.mark_held(by=None, meeting=started)
    client.force_login(kazakhstan_secretariat)
    page = client.get(reverse("meetings:list", args=["kazakhstan"]) + "?body=network").content.decode()
    assert "Attendance over the meetings held" in page and "1 / 1" in page and "100 %" in page


def test_the_meeting_page_counts_the_members_the_body_has_now(
    client, started, kazakhstan, kazakhstan_secretariat
):
    """The body's seats are cached with the network's change counter: a new member counts at once."""
    services.record_attendance(
        by=None, meeting=started, rows=[{"organisation": org("UNFPA"), "status": "apologies"}]
    )
    client.force_login(kazakhstan_secretariat)
    page = reverse("meetings:detail", args=["kazakhstan", started.pk])
    expected = Membership.objects.current(on=kazakhstan.today()).filter(body=started.body).count()
    assert f"0 of {expected} members represented." in client.get(page).content.decode()
    assert f"0 of {expected} members represented." in client.get(page).content.decode()  # cached
    networks.add_membership(by=None, body=started.body, organisation=org("WFP"))
    assert f"0 of {expected + 1} members represented." in client.get(page).content.decode()
