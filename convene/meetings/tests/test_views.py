"""Meeting pages end to end: who schedules, who sees, the agenda through the browser's forms and htmx."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.decisions import testing as charter_powers
from convene.meetings import services
from convene.meetings.models import AgendaItem, Meeting
from convene.networks import services as network_services
from convene.networks.models import Organisation


@pytest.fixture
def secretariat(client, kenya_secretariat):
    client.force_login(kenya_secretariat)
    return client


def test_secretariat_schedules_a_meeting_in_network_time(secretariat, kenya):
    plenary = kenya.bodies.get(slug="network")
    response = secretariat.post(
        reverse("meetings:new", args=["kenya"]),
        {
            "body": plenary.pk,
            "kind": "regular",
            "title": "Quarterly meeting Q1 2027",
            "day": "2027-03-09",
            "start": "10:00",
            "end": "12:00",
            "location": "UN Gigiri",
        },
    )
    meeting = Meeting.objects.get()
    assert response.url == reverse("meetings:detail", args=["kenya", meeting.pk])
    assert meeting.starts_at == datetime.datetime(2027, 3, 9, 7, 0, tzinfo=datetime.UTC)
    page = secretariat.get(response.url).content.decode()
    assert "Tuesday, 9 Mar 2027, 10:00–12:00 (Africa/Nairobi)" in page


def test_bad_meeting_input_shows_errors_and_creates_nothing(secretariat, kenya):
    plenary = kenya.bodies.get(slug="network")
    response = secretariat.post(
        reverse("meetings:new", args=["kenya"]),
        {
            "body": plenary.pk,
            "kind": "regular",
            "title": "X",
            "day": "2027-03-09",
            "start": "12:00",
            "end": "10:00",
        },
    )
    assert "The meeting must end after it starts." in response.content.decode()
    response = secretariat.post(
        reverse("meetings:new", args=["kenya"]),
        {
            "body": plenary.pk,
            "kind": "extraordinary",
            "title": "X",
            "day": "2027-03-09",
            "start": "10:00",
            "end": "11:00",
            "called_by": plenary.pk,
            "call_reason": "Because",
        },
    )
    assert "only Executive Committee can call" in response.content.decode()
    assert not Meeting.objects.exists()


def test_executive_committee_member_calls_an_extraordinary_meeting(client, kenya, seat):
    client.force_login(seat(kenya, "executive-committee", "UNHCR"))
    committee = kenya.bodies.get(slug="executive-committee")
    page = client.get(reverse("meetings:new", args=["kenya"]) + "?kind=extraordinary").content.decode()
    assert "extraordinary meetings are called by Executive Committee" in page
    response = client.post(
        reverse("meetings:new", args=["kenya"]),
        {
            "body": kenya.bodies.get(slug="network").pk,
            "kind": "extraordinary",
            "title": "Extraordinary meeting",
            "day": "2027-02-01",
            "start": "09:00",
            "end": "10:00",
            "called_by": committee.pk,
            "call_reason": "Sudden arrivals at the border",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get().called_by == committee


def test_plain_member_cannot_schedule(client, kenya_member):
    client.force_login(kenya_member)
    assert client.get(reverse("meetings:new", args=["kenya"])).status_code == 403


def test_series_from_the_form(secretariat, kazakhstan, kazakhstan_secretariat, client):
    client.force_login(kazakhstan_secretariat)
    response = client.post(
        reverse("meetings:series_new", args=["kazakhstan"]),
        {
            "body": kazakhstan.bodies.get(slug="network").pk,
            "title": "Quarterly meeting",
            "pattern": "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYDAY=+2TU",
            "count": 4,
            "first_day": "2027-01-01",
            "start": "15:00",
            "duration": 120,
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(network=kazakhstan).count() == 4
    bad = client.post(
        reverse("meetings:series_new", args=["kazakhstan"]),
        {
            "body": kazakhstan.bodies.get(slug="network").pk,
            "title": "S",
            "pattern": "custom",
            "custom_rule": "FREQ=NEVER",
            "count": 2,
            "first_day": "2027-01-01",
            "start": "15:00",
            "duration": 60,
        },
    )
    assert "Not a recurrence rule" in bad.content.decode()
    assert Meeting.objects.filter(network=kazakhstan).count() == 4


def test_agenda_built_moved_and_trimmed_with_htmx(secretariat, quarterly):
    for title in ("Welcome", "GCM review", "AOB"):
        secretariat.post(
            reverse("meetings:agenda_item_new", args=["kenya", quarterly.pk]),
            {"title": title, "kind": "discussion", "duration_minutes": 20},
        )
    aob = AgendaItem.objects.get(title="AOB")
    response = secretariat.post(
        reverse("meetings:agenda_item_up", args=["kenya", quarterly.pk, aob.pk]),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="agenda">') and "<html" not in html
    assert list(quarterly.agenda_items.values_list("title", flat=True)) == ["Welcome", "AOB", "GCM review"]
    secretariat.post(reverse("meetings:agenda_item_remove", args=["kenya", quarterly.pk, aob.pk]))
    page = secretariat.get(reverse("meetings:detail", args=["kenya", quarterly.pk])).content.decode()
    assert "AOB" not in page and "(40 minutes)" in page


def test_member_suggests_and_the_secretariat_accepts(client, kenya_member, kenya_secretariat, quarterly):
    client.force_login(kenya_member)
    client.post(
        reverse("meetings:agenda_item_new", args=["kenya", quarterly.pk]),
        {"title": "FAO briefing on climate mobility", "kind": "information"},
    )
    item = AgendaItem.objects.get()
    assert item.status == "proposed" and item.proposed_by == kenya_member
    assert (
        client.post(
            reverse("meetings:agenda_item_decide", args=["kenya", quarterly.pk, item.pk]), {"accept": "1"}
        ).status_code
        == 403
    )
    client.force_login(kenya_secretariat)
    client.post(
        reverse("meetings:agenda_item_decide", args=["kenya", quarterly.pk, item.pk]), {"accept": "1"}
    )
    item.refresh_from_db()
    assert item.status == "accepted"


def test_working_group_meetings_are_seen_by_the_group_and_the_secretariat_only(client, kenya, seat, soon):
    group = charter_powers.establish_working_group(network=kenya, name="Returns TWG")
    ilo = Organisation.objects.get(acronym="ILO")
    network_services.add_membership(by=None, body=group, organisation=ilo)
    meeting = services.schedule_meeting(
        by=None, body=group, title="Returns TWG 1", starts_at=soon, ends_at=soon + datetime.timedelta(hours=1)
    )
    url = reverse("meetings:detail", args=["kenya", meeting.pk])
    client.force_login(seat(kenya, group.slug, "ILO"))
    assert client.get(url).status_code == 200
    client.force_login(seat(kenya, "network", "FAO"))
    assert client.get(url).status_code == 404
    assert "Returns TWG 1" not in client.get(reverse("meetings:list", args=["kenya"])).content.decode()
    client.force_login(seat(kenya, "secretariat", "IOM", role="secretariat"))
    assert client.get(url).status_code == 200


def test_meeting_page_queries_do_not_grow_with_the_agenda(secretariat, quarterly):
    url = reverse("meetings:detail", args=["kenya", quarterly.pk])
    secretariat.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert secretariat.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.add_agenda_item(by=None, meeting=quarterly, title="Only item")
    few = count()
    presenter = Organisation.objects.get(acronym="UNHCR")
    for i in range(30):
        services.add_agenda_item(by=None, meeting=quarterly, title=f"Item {i}", presenter=presenter)
    assert count() == few <= 12


def test_papers_attached_to_agenda_items_and_in_the_meeting_pack(
    secretariat, client, quarterly, kenya_member
):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    item = services.add_agenda_item(by=None, meeting=quarterly, title="Workplan")
    url = reverse("meetings:agenda_item_paper", args=["kenya", quarterly.pk, item.pk])
    upload = SimpleUploadedFile("workplan-2027.pdf", b"%PDF-1.4 draft", content_type="application/pdf")
    response = secretariat.post(
        url, {"file": upload, "title": "Draft workplan 2027", "confidentiality": "internal"}
    )
    assert response.status_code == 302
    bad = secretariat.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ"), "confidentiality": "internal"})
    assert "Upload a PDF" in bad.content.decode()
    page = secretariat.get(reverse("meetings:detail", args=["kenya", quarterly.pk])).content.decode()
    assert "Draft workplan 2027" in page
    client.force_login(kenya_member)
    pack = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("meetings:pack", args=["kenya", quarterly.pk])).content)
    )
    assert "papers/01-workplan-2027.pdf" in pack.namelist()
