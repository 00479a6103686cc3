"""Two people editing the same draft minutes: the second save is refused, and its author keeps their
text, editable, beside the version now saved, and can save it again deliberately."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from convene.meetings import services
from convene.meetings.models import Minutes


@pytest.fixture
def draft(kenya, kenya_secretariat):
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q3 meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    services.add_agenda_item(by=None, meeting=meeting, title="Welcome")
    return services.start_minutes(by=kenya_secretariat, meeting=meeting)


def test_the_refused_second_editor_sees_their_text_beside_the_saved_version(client, draft, kenya_secretariat):
    client.force_login(kenya_secretariat)
    url = reverse("meetings:minutes", args=["kenya", draft.meeting.pk])
    item = draft.items.get()
    # Alice saves first, from revision 0.
    services.save_minutes(
        by=kenya_secretariat,
        minutes=draft,
        revision=0,
        summary="Alice's summary",
        items={item.pk: {"notes": "Alice's notes", "decisions": "", "action_points": ""}},
    )
    # Bob had opened the page at revision 0 too, and typed for an hour.
    bob = {
        "action": "save",
        "revision": "0",
        "summary": "Bob's summary",
        f"notes-{item.pk}": "Bob's long notes\non two lines",
        f"decisions-{item.pk}": "Bob's decision",
        f"action_points-{item.pk}": "",
    }
    response = client.post(url, bob)

    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert "Someone else saved these minutes since you opened them. Your text is kept below" in page
    # Bob's text, editable, in the form …
    assert (
        f'name="notes-{item.pk}" rows="4" aria-invalid="true" aria-describedby="notes-{item.pk}-saved">'
        in page
    )
    assert ">Bob's long notes\non two lines</textarea>" in page
    assert ">Bob's summary</textarea>" in page and ">Bob's decision</textarea>" in page
    # … beside the version now saved.
    assert f'id="notes-{item.pk}-saved"' in page and "Alice's notes" in page and "Alice's summary" in page
    assert 'name="revision" value="1"' in page  # saving again is deliberate: it replaces Alice's
    assert "Save my version, replacing the one saved" in page
    saved = Minutes.objects.get()
    assert (saved.summary, saved.items.get().notes) == ("Alice's summary", "Alice's notes")

    bob["revision"] = "1"
    assert client.post(url, bob).status_code == 302
    saved.refresh_from_db()
    assert (saved.summary, saved.items.get().notes) == ("Bob's summary", "Bob's long notes\non two lines")


def test_text_typed_while_someone_circulated_the_draft_is_shown_not_lost(client, draft, kenya_secretariat):
    client.force_login(kenya_secretariat)
    url = reverse("meetings:minutes", args=["kenya", draft.meeting.pk])
    item = draft.items.get()
    services.circulate_minutes(
        by=kenya_secretariat,
        minutes=draft,
        comment_deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    response = client.post(
        url, {"action": "save", "revision": "0", "summary": "", f"notes-{item.pk}": "My late paragraph"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "These minutes were circulated for comments; revise them as a new version instead." in page
    assert "Your text, not saved" in page and "My late paragraph" in page
    assert Minutes.objects.get().items.get().notes == ""
