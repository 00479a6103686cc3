"""The charter's meeting rules measured from the records, as the network home shows them."""

import datetime

import pytest
from django.utils import timezone

from convene.meetings import services
from convene.meetings.models import Meeting, Minutes
from convene.meetings.monitoring import Quarter
from convene.networks import monitoring
from convene.networks.models import Network, Organisation
from convene.networks.queries import load_structure

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock


def status_of(network, kind):
    network = Network.objects.get(pk=network.pk)
    [result] = [s for s in monitoring.evaluate(network.rules.filter(kind=kind), load_structure(network))]
    return result.status, result.detail


def meeting(network, *, days, kind=Meeting.Kind.REGULAR, held=False, body="network", **extra):
    start = timezone.now() + datetime.timedelta(days=days)
    m = services.schedule_meeting(
        by=None,
        body=network.bodies.get(slug=body),
        title=extra.pop("title", f"M{days}"),
        kind=kind,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        **extra,
    )
    if held:
        Meeting.objects.filter(pk=m.pk).update(status=Meeting.Status.HELD)
        m.refresh_from_db()
    return m


def test_quarters():
    q = Quarter.of(datetime.date(2026, 11, 23))
    assert (str(q), q.start, q.end) == ("Q4 2026", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert str(q.previous) == "Q3 2026" and str(Quarter.of(datetime.date(2027, 2, 1)).previous) == "Q4 2026"


def test_a_quarter_without_a_meeting_is_due_then_met_when_scheduled(kenya):
    assert status_of(kenya, "meeting_frequency")[0] == "due"
    quarter_end = Quarter.of(kenya.today()).end
    days = max((quarter_end - kenya.today()).days - 1, 0)
    meeting(kenya, days=days)
    status, detail = status_of(kenya, "meeting_frequency")
    assert status == "met" and "scheduled for" in detail


def test_a_past_quarter_without_a_held_meeting_is_missed(kenya):
    Network.objects.filter(pk=kenya.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    status, detail = status_of(kenya, "meeting_frequency")
    assert status == "missed" and str(Quarter.of(kenya.today()).previous) in detail


def test_kazakhstan_annual_meeting(kazakhstan):
    assert status_of(kazakhstan, "annual_meeting")[0] == "due"
    meeting(
        kazakhstan, days=0, kind=Meeting.Kind.ANNUAL, held=True, external_stakeholders="MOL, MFA, IOM CSOs"
    )
    assert status_of(kazakhstan, "annual_meeting")[0] == "met"


def test_minutes_late_beyond_the_target_are_missed(kenya):
    m = meeting(kenya, days=-20, held=True)
    status, detail = status_of(kenya, "minutes")
    assert status == "missed" and "Minutes late" in detail
    minutes = services.start_minutes(by=None, meeting=m)
    Minutes.objects.filter(pk=minutes.pk).update(circulated_at=m.ends_at + datetime.timedelta(days=3))
    Meeting.objects.filter(pk=m.pk).update(agenda_circulated_at=m.starts_at - datetime.timedelta(days=10))
    status, detail = status_of(kenya, "minutes")
    assert status == "met" and "agenda out 10 days ahead" in detail and "minutes 3 days after" in detail


def test_every_member_represented_at_the_last_meeting(kazakhstan):
    m = meeting(kazakhstan, days=-3)
    rows = [
        {"organisation": o, "status": "present", "designate_name": "D"}
        for o in Organisation.objects.filter(memberships__body=m.body).exclude(acronym="UNRCCA")
    ]
    services.record_attendance(by=None, meeting=m, rows=rows)
    services.mark_held(by=None, meeting=m)
    status, detail = status_of(kazakhstan, "representation")
    assert status == "missed" and "UNRCCA" in detail
    services.record_attendance(
        by=None,
        meeting=m,
        rows=[
            {
                "organisation": Organisation.objects.get(acronym="UNRCCA"),
                "status": "present",
                "designate_name": "D",
            }
        ],
    )
    assert status_of(kazakhstan, "representation")[0] == "met"


@pytest.mark.parametrize("slug", ["kenya", "kazakhstan"])
def test_home_page_shows_upcoming_meetings(client, seat, load_charter, slug):
    network = load_charter(slug)
    client.force_login(seat(network, "secretariat", "IOM", role="secretariat"))
    meeting(network, days=5)
    page = client.get(f"/n/{slug}/").content.decode()
    assert "Upcoming meetings" in page and "M5" in page


@pytest.mark.clock
def test_a_quarter_met_is_met_even_after_a_missed_one(kenya):
    Network.objects.filter(pk=kenya.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    meeting(kenya, days=0, held=True)  # held today, in this quarter
    status, detail = status_of(kenya, "meeting_frequency")
    previous = Quarter.of(kenya.today()).previous
    assert status == "met" and f"{previous}: no meeting held." in detail


def test_kazakhstan_counts_meetings_held_with_the_unct(kazakhstan):
    unct = meeting(kazakhstan, days=0, body="unct", title="UNCT", kind=Meeting.Kind.AD_HOC)
    meeting(kazakhstan, days=0, held=True, unct_meeting=unct)
    status, detail = status_of(kazakhstan, "meeting_frequency")
    assert status == "met" and "1 of 1 meetings held this year were held with a UNCT meeting." in detail
    # The UNCT's own meetings owe the network's Secretariat no agenda.
    meeting(kazakhstan, days=3, body="unct", title="Next UNCT", kind=Meeting.Kind.AD_HOC)
    assert "Next UNCT" not in status_of(kazakhstan, "minutes")[1]


@pytest.mark.clock
def test_kazakhstan_annual_meeting_without_other_stakeholders_is_still_due(kazakhstan):
    m = meeting(kazakhstan, days=0, kind=Meeting.Kind.ANNUAL)
    status, detail = status_of(kazakhstan, "annual_meeting")
    assert status == "due" and "invite the other relevant stakeholders" in detail
    services.update_meeting(by=None, meeting=m, external_stakeholders="MOL, migrant associations")
    assert status_of(kazakhstan, "annual_meeting")[0] == "met"


@pytest.mark.clock
def test_this_years_annual_meeting_held_is_met_though_last_year_had_none(kazakhstan):
    Network.objects.filter(pk=kazakhstan.pk).update(created_at=timezone.now() - datetime.timedelta(days=800))
    assert status_of(kazakhstan, "annual_meeting")[0] == "missed"
    meeting(kazakhstan, days=0, kind=Meeting.Kind.ANNUAL, held=True, external_stakeholders="MOL")
    status, detail = status_of(kazakhstan, "annual_meeting")
    assert status == "met" and f"No annual meeting in {kazakhstan.today().year - 1}." in detail


def test_an_agenda_sent_late_is_missed_not_due(kenya):
    m = meeting(kenya, days=-5, held=True)
    Meeting.objects.filter(pk=m.pk).update(agenda_circulated_at=m.starts_at - datetime.timedelta(days=2))
    minutes = services.start_minutes(by=None, meeting=m)
    Minutes.objects.filter(pk=minutes.pk).update(circulated_at=m.ends_at + datetime.timedelta(days=1))
    status, detail = status_of(kenya, "minutes")
    assert status == "missed" and "Agenda late or not circulated: M-5." in detail


def test_minutes_owed_in_time_are_due_and_on_time_ones_met(kenya):
    m = meeting(kenya, days=-2, held=True)
    Meeting.objects.filter(pk=m.pk).update(agenda_circulated_at=m.starts_at - datetime.timedelta(days=8))
    status, detail = status_of(kenya, "minutes")
    assert status == "due" and "Minutes due by" in detail and "M-2" in detail
    minutes = services.start_minutes(by=None, meeting=m)
    Minutes.objects.filter(pk=minutes.pk).update(circulated_at=m.ends_at + datetime.timedelta(days=1))
    assert status_of(kenya, "minutes")[0] == "met"


def test_an_agenda_owed_for_next_week_is_due(kenya):
    meeting(kenya, days=5)
    status, detail = status_of(kenya, "minutes")
    assert status == "due" and "Agenda to circulate by" in detail and "M5" in detail
