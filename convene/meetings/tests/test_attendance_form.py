"""The attendance page refuses a bad row without losing the others: every row is shown as the user
left it, the row in error marked, nothing saved."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from convene.meetings import services
from convene.meetings.models import Attendance


@pytest.fixture
def plenary_meeting(kenya):
    start = timezone.now() - datetime.timedelta(hours=1)
    return services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Plenary",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )


def rows(html):
    """{row id: (status selected, designate typed, marked in error)} of the attendance table."""
    found = {}
    for tr in re.findall(r'<tr id="row-(\d+)"(.*?)</tr>', html, re.S):
        pk, body = tr
        status = re.search(r'name="status-\d+".*?<option value="(\w+)" selected', body, re.S)
        designate = re.search(r'name="designate-\d+" value="([^"]*)"', body)
        found[int(pk)] = (status and status.group(1), designate.group(1), body.startswith(' class="invalid"'))
    return found


def test_one_bad_row_keeps_what_was_entered_in_every_row(client, kenya_secretariat, plenary_meeting):
    client.force_login(kenya_secretariat)
    url = reverse("meetings:attendance", args=["kenya", plenary_meeting.pk])
    seats = services.expected_members(plenary_meeting)
    assert len(seats) >= 20
    bad = seats[5]["organisation"]
    form = {}
    for i, seat in enumerate(seats):
        pk = seat["organisation"].pk
        form[f"status-{pk}"] = "apologies" if i % 3 == 0 else "present"
        form[f"designate-{pk}"] = "" if pk == bad.pk else f"Delegate {i}"
    response = client.post(url, form)

    assert response.status_code == 422
    html = response.content.decode()
    shown = rows(html)
    for seat in seats:
        pk = seat["organisation"].pk
        status, designate, invalid = shown[pk]
        assert status == form[f"status-{pk}"]
        assert designate == form[f"designate-{pk}"]
        assert invalid == (pk == bad.pk)
    assert f"Say who represented {bad}." in html
    assert not Attendance.objects.exists()

    form[f"designate-{bad.pk}"] = "Deputy head"
    assert client.post(url, form).status_code == 302
    assert Attendance.objects.filter(meeting=plenary_meeting).count() == len(seats)


def test_a_designate_name_on_two_lines_is_refused_in_its_row(client, kenya_secretariat, plenary_meeting):
    client.force_login(kenya_secretariat)
    url = reverse("meetings:attendance", args=["kenya", plenary_meeting.pk])
    org = services.expected_members(plenary_meeting)[0]["organisation"]
    response = client.post(url, {f"status-{org.pk}": "present", f"designate-{org.pk}": "Jane\r\nDoe"})
    assert response.status_code == 422
    assert rows(response.content.decode())[org.pk][2]  # the row is marked
    assert not Attendance.objects.exists()
