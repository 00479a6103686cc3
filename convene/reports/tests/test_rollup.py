"""The roll-up across networks for a coordinator who reads several of them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.meetings import services as meetings
from convene.networks.models import Organisation
from convene.workplans import services as workplans
from convene.workplans.models import GcmObjective

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock

YEAR = 2026


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


def activity(network, code, objectives, budget, funded):
    workplan = network.workplans.filter(year=YEAR).first() or workplans.create_workplan(
        by=None, network=network, year=YEAR
    )
    workplans.add_activity(
        by=None,
        workplan=workplan,
        code=code,
        title=code,
        lead_organisation=org("IOM"),
        start_quarter=1,
        end_quarter=4,
        budget=budget,
        funded=funded,
        gcm_objectives=list(GcmObjective.objects.filter(number__in=objectives)),
    )


def test_a_regional_coordinator_sees_every_network_they_read(client, kenya, kazakhstan, seat):
    coordinator = seat(kenya, "network", "IOM", role="observer", email="regional@iom.test")
    seat(kazakhstan, "network", "IOM", role="observer", email="regional@iom.test")
    activity(kenya, "1", [1, 2], 1000, 600)
    activity(kazakhstan, "1", [2, 3], 500, 500)
    zone = ZoneInfo(kenya.timezone)
    start = datetime.datetime(YEAR, 2, 3, 10, tzinfo=zone)
    meeting = meetings.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q1",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    meetings.mark_held(by=None, meeting=meeting)
    client.force_login(coordinator)
    assert "Across your networks" in client.get(reverse("networks:index")).content.decode()
    response = client.get(reverse("reports:rollup"), {"year": YEAR})
    data = response.context["data"]
    rows = {str(r["network"]): r for r in data["rows"]}
    assert rows["UNNM Kenya"]["objectives"] == 2 and rows["UNNM Kenya"]["gap"] == 400
    assert rows["UNNM Kenya"]["quarters"]["met"] >= 1 and rows["UNNM Kazakhstan"]["quarters"]["met"] == 0
    coverage = {c["objective"].number: c["networks"] for c in data["coverage"]}
    assert (coverage[1], coverage[2], coverage[3], coverage[4]) == (1, 2, 1, 0)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("reports:rollup"), {"year": YEAR})
    for n in range(2, 12):
        activity(kenya, str(n), [5], 10, 0)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("reports:rollup"), {"year": YEAR})
    assert len(before) == len(after)


def test_someone_without_a_network_gets_404(client, db, django_user_model):
    client.force_login(
        django_user_model.objects.create_user(email="x@example.org", password="x", full_name="X")
    )
    assert client.get(reverse("reports:rollup")).status_code == 404
