"""Circulated minutes revised before approval: a new draft version answers the comments, the
circulated version and its comments are kept and linked, the new one is circulated again with a
fresh deadline and approved; approved minutes still never change."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from convene.core.models import ChangeLog
from convene.meetings import services
from convene.meetings.models import Minutes

API = "/api/v1/networks/kenya/meetings"


@pytest.fixture
def circulated(kenya, kenya_secretariat):
    start = timezone.now() - datetime.timedelta(days=3)
    meeting = services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q3 meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    services.add_agenda_item(by=None, meeting=meeting, title="GCM implementation plan")
    minutes = services.start_minutes(by=kenya_secretariat, meeting=meeting)
    item = minutes.items.get()
    services.save_minutes(
        by=kenya_secretariat,
        minutes=minutes,
        revision=0,
        summary="Draft",
        items={item.pk: {"notes": "First"}},
    )
    services.circulate_minutes(
        by=kenya_secretariat,
        minutes=minutes,
        comment_deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    return minutes


def in_days(n):
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def test_circulate_revise_circulate_approve_on_the_pages(client, circulated, kenya_secretariat, kenya_member):
    meeting = circulated.meeting
    url = reverse("meetings:minutes", args=["kenya", meeting.pk])
    client.force_login(kenya_member)
    client.post(url, {"action": "comment", "text": "FAO's point on climate is missing."})

    client.force_login(kenya_secretariat)
    assert "Revise (new version answering the comments)" in client.get(url).content.decode()
    assert client.post(url, {"action": "revise"}).status_code == 302
    v1, v2 = meeting.minutes.order_by("version")
    assert (v1.status, v2.status, v2.corrects, v2.version) == ("revised", "draft", v1, 2)
    assert v1.comments.get().text == "FAO's point on climate is missing."  # kept, on the version commented
    page = client.get(url).content.decode()
    assert "revises version 1, circulated for comments" in page
    assert "FAO&#x27;s point on climate is missing." in page  # the comments to answer, beside the draft
    item = v2.items.get()
    client.post(
        url,
        {"action": "save", "revision": "0", "summary": "Draft", f"notes-{item.pk}": "First. FAO: climate."},
    )
    # Members keep reading the circulated version while the revision is in draft.
    client.force_login(kenya_member)
    assert "First" in client.get(url).content.decode()
    assert "FAO: climate" not in client.get(url).content.decode()

    client.force_login(kenya_secretariat)
    client.post(url, {"action": "circulate", "comment_deadline": in_days(7)})
    v2.refresh_from_db()
    assert v2.status == "circulated" and v2.comment_deadline == timezone.localdate() + datetime.timedelta(
        days=7
    )
    later = services.schedule_meeting(
        by=None,
        body=meeting.body,
        title="Q4 meeting",
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    client.post(url, {"action": "approve", "at_meeting": later.pk})
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == ("revised", "approved")
    assert services.approved_minutes(meeting) == v2
    client.force_login(kenya_member)
    assert "FAO: climate" in client.get(url).content.decode()

    # The revised version can be neither approved nor revised again, nor commented on.
    with pytest.raises(ValidationError):
        services.approve_minutes(by=kenya_secretariat, minutes=v1, at_meeting=later)
    with pytest.raises(ValidationError):
        services.revise_minutes(by=kenya_secretariat, minutes=v1)
    with pytest.raises(ValidationError):
        services.comment_on_minutes(by=kenya_member, minutes=v1, text="Late")
    # Approved minutes still never change: neither saved over nor revised; a correction is new.
    with pytest.raises(ValidationError, match="make a correction instead"):
        services.save_minutes(by=kenya_secretariat, minutes=v2, revision=v2.revision, summary="x", items={})
    with pytest.raises(ValidationError, match="Only minutes circulated"):
        services.revise_minutes(by=kenya_secretariat, minutes=v2)
    v2.refresh_from_db()
    assert (v2.summary, v2.items.get().notes) == ("Draft", "First. FAO: climate.")
    audit = ChangeLog.objects.get(
        content_type=ContentType.objects.get_for_model(Minutes), object_id=str(v2.pk), action="create"
    )
    assert audit.changes == {"revises": [None, "v1"]} and audit.actor == kenya_secretariat


def test_revise_and_circulate_again_through_the_api(client, circulated, kenya_secretariat, kenya_member):
    meeting = circulated.meeting
    client.force_login(kenya_member)
    assert client.post(f"{API}/{meeting.pk}/minutes/revise/").status_code == 403
    client.force_login(kenya_secretariat)
    revised = client.post(f"{API}/{meeting.pk}/minutes/revise/")
    assert revised.status_code == 201
    assert (revised.json()["version"], revised.json()["status"], revised.json()["corrects"]) == (
        2,
        "draft",
        1,
    )
    again = client.post(f"{API}/{meeting.pk}/minutes/revise/")
    assert again.status_code == 400 and "Only minutes circulated" in again.json()["detail"]
    early = client.post(
        f"{API}/{meeting.pk}/minutes/circulate/",
        {"comment_deadline": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert early.status_code == 400 and "comment_deadline" in early.json()
    sent = client.post(
        f"{API}/{meeting.pk}/minutes/circulate/",
        {"comment_deadline": in_days(4)},
        content_type="application/json",
    )
    assert sent.status_code == 200 and sent.json()["status"] == "circulated"
    versions = client.get(f"{API}/{meeting.pk}/minutes/").json()
    assert [(v["version"], v["status"]) for v in versions] == [(1, "revised"), (2, "circulated")]
    assert Minutes.objects.get(version=1).status == "revised"
