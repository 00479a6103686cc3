"""A line break in a meeting title made every e-mail of the meeting fail: single-line text with a
line break, tab or other control character is refused wherever it comes in, naming the field, and
nothing is saved; multi-line text keeps its line breaks."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from convene.meetings import services
from convene.meetings.models import Meeting

API = "/api/v1/networks/kenya/meetings"


@pytest.mark.parametrize("bad", ["Q1\r\n2027", "Q1\t2027", "Q1\u20282027", "Q1\x1b2027", "Q1\x852027"])
def test_a_title_with_a_control_character_is_refused_on_the_page(client, kenya, kenya_secretariat, bad):
    client.force_login(kenya_secretariat)
    response = client.post(
        reverse("meetings:new", args=["kenya"]),
        {
            "body": kenya.bodies.get(slug="network").pk,
            "kind": "regular",
            "title": bad,
            "day": "2027-03-09",
            "start": "10:00",
            "end": "12:00",
        },
    )
    assert response.status_code in (200, 422)
    assert "Title: keep it on one line" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_title_with_a_line_break_is_refused_by_the_api(client, kenya, kenya_secretariat):
    client.force_login(kenya_secretariat)
    response = client.post(
        f"{API}/",
        {
            "body": "network",
            "title": "Q1 2027\r\nBcc: everyone@example.org",
            "starts_at": "2027-03-09T10:00:00+03:00",
            "ends_at": "2027-03-09T12:00:00+03:00",
            "location": "Gigiri",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "keep it on one line" in str(response.json()["title"]) and "U+000D, U+000A" in str(response.json())
    assert not Meeting.objects.exists()


def test_a_change_to_one_line_of_an_existing_meeting_is_refused_too(kenya):
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q1",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    meeting.location = "Room 1\nRoom 2"
    with pytest.raises(ValidationError, match="Place: keep it on one line"):
        meeting.save()
    meeting.refresh_from_db()
    assert meeting.location == ""


def test_multi_line_text_keeps_its_line_breaks(kenya):
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q1",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    services.add_agenda_item(by=None, meeting=meeting, title="Welcome")
    minutes = services.start_minutes(by=None, meeting=meeting)
    item = minutes.items.get()
    notes = "First point.\r\n\tIndented second point."
    services.save_minutes(
        by=None, minutes=minutes, revision=0, summary="Line one\nline two", items={item.pk: {"notes": notes}}
    )
    assert minutes.items.get().notes == notes and minutes.summary == "Line one\nline two"
