"""Meetings through the API: schedule, series, agenda, with the pages' permissions and errors."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.meetings import services
from convene.meetings.models import AgendaItem, Meeting

API = "/api/v1/networks/kenya/meetings"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def api(client, kenya_secretariat):
    client.force_login(kenya_secretariat)
    return client


def test_schedule_read_and_change_a_meeting(api, kenya):
    made = post(
        api,
        f"{API}/",
        {
            "body": "network",
            "title": "Q1 2027",
            "starts_at": "2027-03-09T10:00:00+03:00",
            "ends_at": "2027-03-09T12:00:00+03:00",
        },
    )
    assert made.status_code == 201
    meeting = made.json()
    assert meeting["starts_at"] == "2027-03-09T10:00:00+03:00" and meeting["timezone"] == "Africa/Nairobi"
    patched = api.patch(f"{API}/{meeting['id']}/", {"location": "UN Gigiri"}, content_type="application/json")
    assert patched.json()["location"] == "UN Gigiri"
    item = post(
        api,
        f"{API}/{meeting['id']}/agenda/",
        {"title": "GCM review", "presenter": "iom", "duration_minutes": 30},
    )
    assert (
        item.status_code == 201 and item.json()["presenter"] == "IOM" and item.json()["status"] == "accepted"
    )
    detail = api.get(f"{API}/{meeting['id']}/").json()
    assert [i["title"] for i in detail["agenda"]] == ["GCM review"]
    cancelled = post(api, f"{API}/{meeting['id']}/cancel/", {"reason": "Clash with UNCT retreat"})
    assert cancelled.json()["status"] == "cancelled"


def test_bad_input_is_a_400_with_the_reason(api, kenya):
    backwards = post(
        api,
        f"{API}/",
        {
            "body": "network",
            "title": "X",
            "starts_at": "2027-03-09T12:00:00Z",
            "ends_at": "2027-03-09T10:00:00Z",
        },
    )
    assert backwards.status_code == 400 and "end after it starts" in str(backwards.json())
    nobody = post(
        api,
        f"{API}/",
        {
            "body": "senate",
            "title": "X",
            "starts_at": "2027-03-09T10:00:00Z",
            "ends_at": "2027-03-09T11:00:00Z",
        },
    )
    assert nobody.status_code == 400 and "No such body" in nobody.json()["body"][0]
    extraordinary = post(
        api,
        f"{API}/",
        {
            "body": "network",
            "kind": "extraordinary",
            "title": "X",
            "starts_at": "2027-03-09T10:00:00Z",
            "ends_at": "2027-03-09T11:00:00Z",
            "called_by": "network",
            "call_reason": "Why not",
        },
    )
    assert extraordinary.status_code == 400 and "only Executive Committee" in str(extraordinary.json())
    series = post(
        api,
        f"{API}/series/",
        {
            "body": "network",
            "title": "S",
            "rrule": "FREQ=MONTHLY",
            "first_day": "2027-01-01",
            "start": "10:00",
            "duration_minutes": 60,
        },
    )
    assert series.status_code == 400 and "COUNT" in str(series.json())
    assert not Meeting.objects.exists()


def test_series_and_reordering(api, kazakhstan, kenya):
    made = post(
        api,
        f"{API}/series/",
        {
            "body": "network",
            "title": "Quarterly",
            "rrule": "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYDAY=+2TU;COUNT=2",
            "first_day": "2027-01-01",
            "start": "10:00",
            "duration_minutes": 120,
        },
    )
    assert made.status_code == 201 and len(made.json()) == 2
    second = made.json()[1]["id"]
    minutes_item = AgendaItem.objects.get(meeting_id=second)
    other = post(api, f"{API}/{second}/agenda/", {"title": "Workplan"}).json()
    reordered = post(api, f"{API}/{second}/agenda/order/", {"items": [other["id"], minutes_item.pk]})
    assert [i["title"] for i in reordered.json()] == [
        "Workplan",
        "Approval of the minutes of the previous meeting",
    ]
    wrong = post(api, f"{API}/{second}/agenda/order/", {"items": [other["id"]]})
    assert wrong.status_code == 400


def test_member_suggests_but_does_not_organise(client, kenya_member, kenya_secretariat, quarterly):
    client.force_login(kenya_member)
    url = f"{API}/{quarterly.pk}"
    suggested = post(client, f"{url}/agenda/", {"title": "Climate mobility"})
    assert suggested.json()["status"] == "proposed"
    assert post(client, f"{url}/cancel/", {"reason": "x"}).status_code == 403
    assert post(client, f"{url}/agenda/{suggested.json()['id']}/decide/", {"accept": True}).status_code == 403
    client.force_login(kenya_secretariat)
    decided = post(client, f"{url}/agenda/{suggested.json()['id']}/decide/", {"accept": False})
    assert decided.status_code == 400 and "Say why" in str(decided.json())
    decided = post(client, f"{url}/agenda/{suggested.json()['id']}/decide/", {"accept": True})
    assert decided.json()["status"] == "accepted"


def test_meeting_list_queries_do_not_grow(api, kenya):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(f"{API}/").status_code == 200
        return len(ctx.captured_queries)

    services.schedule_series(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q",
        rrule="FREQ=MONTHLY;BYMONTH=3,6,9,12;BYDAY=+2TU;COUNT=2",
        first_day=datetime.date(2027, 1, 1),
        start=datetime.time(10),
        duration=datetime.timedelta(hours=1),
    )
    few = count()
    services.schedule_series(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="More",
        rrule="FREQ=WEEKLY;COUNT=30",
        first_day=datetime.date(2028, 1, 1),
        start=datetime.time(10),
        duration=datetime.timedelta(hours=1),
    )
    assert count() == few <= 12


def test_attendance_through_the_api(client, kazakhstan, kazakhstan_secretariat, kenya_member, seat):
    seat(kazakhstan, "network", "IOM", email=kazakhstan_secretariat.email)  # also IOM's seat in the plenary
    client.force_login(kazakhstan_secretariat)
    start = "2026-01-10T10:00:00+05:00"
    made = post(
        client,
        "/api/v1/networks/kazakhstan/meetings/",
        {"body": "network", "title": "Q1", "starts_at": start, "ends_at": "2026-01-10T12:00:00+05:00"},
    ).json()
    url = f"/api/v1/networks/kazakhstan/meetings/{made['id']}/attendance/"
    saved = post(
        client,
        url,
        [
            {"organisation": "IOM", "status": "present", "person": kazakhstan_secretariat.email},
            {"organisation": "UNDP", "status": "apologies"},
        ],
    )
    assert saved.status_code == 200, saved.json()
    assert {r["organisation"]: r["capacity"] for r in saved.json()} == {"IOM": "principal", "UNDP": ""}
    wrong = post(client, url, [{"organisation": "WFP", "status": "present", "designate_name": "X"}])
    assert wrong.status_code == 400 and "does not sit here" in str(wrong.json())
    stranger = post(
        client, url, [{"organisation": "UNDP", "status": "present", "person": kenya_member.email}]
    )
    assert stranger.status_code == 400 and "does not represent UNDP" in str(stranger.json())
    assert len(client.get(url).json()) == 2
