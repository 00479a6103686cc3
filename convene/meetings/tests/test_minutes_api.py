"""Minutes kept end to end through the API, with the pages' services, permissions and refusals: start
from the agenda, save (a stale save is a 409 with the version now saved), circulate, comment,
approve, disseminate, correct."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from convene.core.models import ChangeLog, OutboundEmail
from convene.decisions import testing as charter_powers
from convene.meetings import services
from convene.meetings.models import Minutes, MinutesComment
from convene.networks import services as network_services
from convene.networks.models import Organisation

API = "/api/v1/networks/kenya/meetings"
HUGE = 2**70  # more than any database integer


def post(client, url, data=None):
    return client.post(url, data if data is not None else {}, content_type="application/json")


def _meeting(body, title, *, days_ago=0, hours_ago=0):
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=days_ago, hours=hours_ago)
    return services.schedule_meeting(
        by=None, body=body, title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )


@pytest.fixture
def held(kenya):
    meeting = _meeting(kenya.bodies.get(slug="network"), "Q3 meeting", days_ago=3)
    for title in ("Welcome", "GCM national implementation plan"):
        services.add_agenda_item(by=None, meeting=meeting, title=title)
    return meeting


@pytest.fixture
def later(held):
    """The body's next meeting, already held: where the minutes of `held` are approved."""
    return _meeting(held.body, "Q4 meeting", hours_ago=3)


@pytest.fixture
def draft(held, kenya_secretariat):
    return services.start_minutes(by=kenya_secretariat, meeting=held)


@pytest.fixture
def circulated(draft, kenya_secretariat):
    services.circulate_minutes(
        by=kenya_secretariat, minutes=draft, comment_deadline=in_days(draft.meeting, 5)
    )
    return draft


def in_days(meeting, n):
    """A date n days from the network's today."""
    return meeting.network.today() + datetime.timedelta(days=n)


def snapshot():
    """Everything the minutes actions may change: each version with its sections, the comments and
    the messages queued."""
    versions = [
        (
            m.version,
            m.status,
            m.revision,
            m.summary,
            m.comment_deadline,
            m.approved_at_meeting_id,
            m.approval_note,
            [(i.notes, i.decisions, i.action_points) for i in m.items.all()],
        )
        for m in Minutes.objects.order_by("version")
    ]
    return versions, MinutesComment.objects.count(), OutboundEmail.objects.count()


def test_minutes_kept_end_to_end_through_the_api(client, held, later, kenya_secretariat, kenya_member):
    url = f"{API}/{held.pk}/minutes"
    client.force_login(kenya_secretariat)

    started = post(client, f"{url}/start/")
    assert started.status_code == 201, started.json()
    minutes = started.json()
    assert (minutes["version"], minutes["status"], minutes["revision"]) == (1, "draft", 0)
    assert [i["title"] for i in minutes["items"]] == ["Welcome", "GCM national implementation plan"]
    again = post(client, f"{url}/start/")
    assert again.status_code == 400 and "already has minutes" in again.json()["detail"]

    plan = minutes["items"][1]["id"]
    saved = post(
        client,
        f"{url}/save/",
        {
            "revision": 0,
            "summary": "Quorate.\n",
            "items": [
                {
                    "id": plan,
                    "notes": "IOM presented the plan.",
                    "decisions": "Plan endorsed.",
                    "action_points": "IOM to share the final text.",
                }
            ],
        },
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["revision"] == 1 and saved.json()["summary"] == "Quorate.\n"  # as typed
    # A field or a section left out is kept; so is the summary.
    saved = post(client, f"{url}/save/", {"revision": 1, "items": [{"id": plan, "notes": "IOM presented."}]})
    assert saved.status_code == 200, saved.json()
    section = saved.json()["items"][1]
    assert (section["notes"], section["decisions"]) == ("IOM presented.", "Plan endorsed.")
    assert saved.json()["summary"] == "Quorate.\n" and saved.json()["items"][0]["notes"] == ""

    # Members do not read the draft.
    client.force_login(kenya_member)
    assert client.get(f"{url}/").json() == []
    client.force_login(kenya_secretariat)

    deadline = in_days(held, 5)
    sent = post(client, f"{url}/circulate/", {"comment_deadline": deadline.isoformat()})
    assert sent.status_code == 200 and sent.json()["status"] == "circulated"
    assert OutboundEmail.objects.filter(topic="minutes").exists()

    client.force_login(kenya_member)
    commented = post(client, f"{url}/comments/", {"text": "  FAO's point on climate is missing. "})
    assert commented.status_code == 201, commented.json()
    assert commented.json()["text"] == "FAO's point on climate is missing."
    assert (commented.json()["version"], commented.json()["author"]) == (1, kenya_member.email)
    assert [c["text"] for c in client.get(f"{url}/comments/").json()] == [
        "FAO's point on climate is missing."
    ]
    client.force_login(kenya_secretariat)
    post(client, f"{url}/comments/", {"text": "Noted."})
    client.force_login(kenya_member)
    assert len(client.get(f"{url}/comments/").json()) == 1  # members read their own only
    client.force_login(kenya_secretariat)
    assert len(client.get(f"{url}/comments/").json()) == 2  # the organisers read everyone's

    approved = post(client, f"{url}/approve/", {"at_meeting": later.pk, "note": "Approved as amended."})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_at_meeting"] == later.pk
    assert approved.json()["approval_note"] == "Approved as amended."

    disseminated = post(client, f"{url}/disseminate/")
    assert disseminated.status_code == 200 and disseminated.json()["status"] == "disseminated"
    mailed = [m for m in OutboundEmail.objects.filter(topic="minutes") if m.attachments]
    assert mailed and all(m.attachments[0]["mimetype"] == "application/pdf" for m in mailed)
    refused = post(client, f"{url}/save/", {"revision": 2, "summary": "Changed later"})
    assert refused.status_code == 400 and "make a correction instead" in refused.json()["detail"]

    corrected = post(client, f"{url}/correct/")
    assert corrected.status_code == 201
    assert (corrected.json()["version"], corrected.json()["status"], corrected.json()["corrects"]) == (
        2,
        "draft",
        1,
    )
    assert corrected.json()["items"][1]["notes"] == "IOM presented."
    assert post(client, f"{url}/correct/").status_code == 400  # the current version is the draft
    versions = client.get(f"{url}/").json()
    assert [(v["version"], v["status"]) for v in versions] == [(1, "disseminated"), (2, "draft")]
    # Every change is in the audit log, made through the API by the Secretariat.
    audit = ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(Minutes))
    assert audit.count() >= 7
    assert set(audit.values_list("source", "actor")) == {(ChangeLog.Source.API, kenya_secretariat.pk)}


def test_approval_without_objection_once_the_deadline_has_passed(client, circulated, kenya_secretariat):
    client.force_login(kenya_secretariat)
    url = f"{API}/{circulated.meeting.pk}/minutes/approve/"
    early = post(client, url)
    assert early.status_code == 400 and "no-objection period runs until" in early.json()["detail"]
    Minutes.objects.filter(pk=circulated.pk).update(comment_deadline=in_days(circulated.meeting, -1))
    approved = post(client, url)
    assert approved.status_code == 200, approved.json()
    assert approved.json()["approved_at_meeting"] is None
    assert approved.json()["approval_note"].startswith("No objection by")


def test_a_member_who_does_not_organise_is_refused_the_organisers_actions(
    client, held, later, kenya_member, kenya_secretariat
):
    client.force_login(kenya_member)
    url = f"{API}/{held.pk}/minutes"
    assert post(client, f"{url}/start/").status_code == 403
    assert not Minutes.objects.exists()
    minutes = services.start_minutes(by=kenya_secretariat, meeting=held)
    before = snapshot()
    refused = {
        "save": {"revision": 0, "summary": "Mine"},
        "circulate": {"comment_deadline": in_days(held, 5).isoformat()},
        "revise": {},
        "approve": {"at_meeting": later.pk},
        "disseminate": {},
        "correct": {},
    }
    for action, data in refused.items():
        response = post(client, f"{url}/{action}/", data)
        assert response.status_code == 403, action
        assert "Only the Secretariat and the co-chairs" in response.json()["detail"]
    assert snapshot() == before
    services.circulate_minutes(by=kenya_secretariat, minutes=minutes, comment_deadline=in_days(held, 5))
    before = snapshot()
    for action in ("approve", "disseminate", "correct", "revise", "save"):
        assert post(client, f"{url}/{action}/", {"revision": 0}).status_code == 403, action
    assert snapshot() == before
    # The member comments on the circulated minutes, which is what members do.
    assert post(client, f"{url}/comments/", {"text": "Fine by FAO."}).status_code == 201


def test_a_stale_save_is_refused_with_the_version_now_saved(client, draft, kenya_secretariat):
    client.force_login(kenya_secretariat)
    url = f"{API}/{draft.meeting.pk}/minutes/save/"
    welcome = draft.items.first()
    # Alice saves first, from revision 0.
    alice = post(
        client, url, {"revision": 0, "summary": "Alice's", "items": [{"id": welcome.pk, "notes": "A"}]}
    )
    assert alice.status_code == 200
    # Bob started from revision 0 too.
    bob = {"revision": 0, "summary": "Bob's", "items": [{"id": welcome.pk, "notes": "B"}]}
    stale = post(client, url, bob)
    assert stale.status_code == 409
    body = stale.json()
    assert "Someone else saved these minutes since revision 0; nothing was saved" in body["detail"]
    assert "with revision 1 to replace it" in body["detail"]
    assert (body["minutes"]["revision"], body["minutes"]["summary"]) == (1, "Alice's")
    assert body["minutes"]["items"][0]["notes"] == "A"
    draft.refresh_from_db()
    assert (draft.revision, draft.summary, draft.items.first().notes) == (1, "Alice's", "A")
    # Sent again from the revision now saved, deliberately, it replaces Alice's.
    replaced = post(client, url, {**bob, "revision": body["minutes"]["revision"]})
    assert replaced.status_code == 200
    assert (replaced.json()["revision"], replaced.json()["summary"]) == (2, "Bob's")


def test_a_save_after_the_draft_was_circulated_is_refused_with_the_reason(
    client, circulated, kenya_secretariat
):
    client.force_login(kenya_secretariat)
    response = post(
        client, f"{API}/{circulated.meeting.pk}/minutes/save/", {"revision": 0, "summary": "Late"}
    )
    assert response.status_code == 400
    assert "revise them as a new version instead" in response.json()["detail"]
    circulated.refresh_from_db()
    assert (circulated.summary, circulated.revision) == ("", 0)


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "revision"),
        ({"revision": "abc"}, "revision"),
        ({"revision": -1}, "revision"),
        ({"revision": [0]}, "revision"),
        ({"revision": 0, "summary": {"a": 1}}, "summary"),
        ({"revision": 0, "summary": ["a"]}, "summary"),
        ({"revision": 0, "items": "notes"}, "items"),
        ({"revision": 0, "items": {"id": 1}}, "items"),
        ({"revision": 0, "items": [{"notes": "no id"}]}, "items"),
        ({"revision": 0, "items": [{"id": "x", "notes": "N"}]}, "items"),
        ({"revision": 0, "items": [{"id": 1, "notes": ["N"]}]}, "items"),
        ({"revision": 0, "items": [{"id": 1, "notes": "nul\x00"}]}, "items"),
        ({"revision": 0, "items": "duplicate"}, "items"),
    ],
)
def test_bad_input_to_a_save_is_a_400_naming_the_field_and_changes_nothing(
    client, draft, kenya_secretariat, data, field
):
    client.force_login(kenya_secretariat)
    if data.get("items") == "duplicate":
        pk = draft.items.first().pk
        data = {**data, "items": [{"id": pk, "notes": "One"}, {"id": pk, "notes": "Two"}]}
    elif isinstance(data.get("items"), list) and "id" in data["items"][0] and data["items"][0]["id"] == 1:
        data = {**data, "items": [{**data["items"][0], "id": draft.items.first().pk}]}
    before = snapshot()
    response = post(client, f"{API}/{draft.meeting.pk}/minutes/save/", data)
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert snapshot() == before


@pytest.mark.parametrize("section", [0, HUGE, "elsewhere"])
def test_a_section_of_other_minutes_is_a_400_and_changes_nothing(
    client, kenya, draft, kenya_secretariat, section
):
    if section == "elsewhere":  # a section of another meeting's minutes
        other = _meeting(kenya.bodies.get(slug="executive-committee"), "ExCom", days_ago=1)
        services.add_agenda_item(by=None, meeting=other, title="Budget")
        section = services.start_minutes(by=None, meeting=other).items.get().pk
    client.force_login(kenya_secretariat)
    before = snapshot()
    response = post(
        client,
        f"{API}/{draft.meeting.pk}/minutes/save/",
        {"revision": 0, "items": [{"id": section, "notes": "X"}]},
    )
    assert response.status_code == 400 and "Unknown sections" in response.json()["detail"]
    assert snapshot() == before


def test_approval_at_a_meeting_that_is_not_a_later_one_of_the_body_is_a_400_and_changes_nothing(
    client, kenya, kazakhstan, kazakhstan_secretariat, circulated, kenya_secretariat
):
    client.force_login(kenya_secretariat)
    url = f"{API}/{circulated.meeting.pk}/minutes/approve/"
    committee = _meeting(kenya.bodies.get(slug="executive-committee"), "ExCom", hours_ago=3)
    elsewhere = _meeting(kazakhstan.bodies.get(slug="network"), "Almaty", hours_ago=3)
    earlier = _meeting(circulated.meeting.body, "Q2 meeting", days_ago=60)
    soon = timezone.now() + datetime.timedelta(days=5)
    coming = services.schedule_meeting(
        by=None,
        body=circulated.meeting.body,
        title="Q1",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=1),
    )
    cases = [
        ({"at_meeting": committee.pk}, "Choose a later meeting of the same body."),
        ({"at_meeting": earlier.pk}, "Choose a later meeting of the same body."),
        ({"at_meeting": circulated.meeting.pk}, "Choose a later meeting of the same body."),
        ({"at_meeting": coming.pk}, "has not taken place"),
        ({"at_meeting": elsewhere.pk}, "No such meeting in this network."),
        ({"at_meeting": 0}, "No such meeting in this network."),
        ({"at_meeting": HUGE}, "No such meeting in this network."),
        ({"at_meeting": "x"}, "Give the id of a meeting: a whole number."),
        ({"at_meeting": [committee.pk]}, "Give the id of a meeting: a whole number."),
    ]
    before = snapshot()
    for data, reason in cases:
        response = post(client, url, data)
        assert response.status_code == 400, data
        assert reason in response.json()["at_meeting"][0], (data, response.json())
    long_note = post(client, url, {"note": "x" * 301})
    assert long_note.status_code == 400 and "note" in long_note.json()
    not_text = post(client, url, {"note": {"a": 1}})
    assert not_text.status_code == 400 and "note" in not_text.json()
    assert snapshot() == before
    assert Minutes.objects.get().status == Minutes.Status.CIRCULATED


def test_actions_out_of_order_are_a_400_with_the_reason(client, held, kenya_secretariat, kenya_member):
    client.force_login(kenya_secretariat)
    url = f"{API}/{held.pk}/minutes"
    for action in ("save", "circulate", "approve", "disseminate", "correct", "revise"):
        response = post(client, f"{url}/{action}/", {"revision": 0, "comment_deadline": "2099-01-01"})
        assert response.status_code == 404 and "no minutes yet" in response.json()["detail"], action
    post(client, f"{url}/start/")
    before = snapshot()
    assert "Only approved minutes are disseminated" in post(client, f"{url}/disseminate/").json()["detail"]
    assert "Only approved minutes are corrected" in post(client, f"{url}/correct/").json()["detail"]
    assert "after they were circulated" in post(client, f"{url}/approve/").json()["detail"]
    assert (
        "while the minutes are circulated" in post(client, f"{url}/comments/", {"text": "x"}).json()["detail"]
    )
    client.force_login(kenya_member)
    response = post(client, f"{url}/comments/", {"text": "Too early"})
    assert response.status_code == 404 and "no minutes you can read yet" in response.json()["detail"]
    assert snapshot() == before
    soon = timezone.now() + datetime.timedelta(days=5)
    coming = services.schedule_meeting(
        by=None, body=held.body, title="Next", starts_at=soon, ends_at=soon + datetime.timedelta(hours=1)
    )
    client.force_login(kenya_secretariat)
    early = post(client, f"{API}/{coming.pk}/minutes/start/")
    assert early.status_code == 400 and "once the meeting has started" in early.json()["detail"]


def test_a_comment_must_be_text_and_comes_from_a_member_of_the_body(client, kenya, seat, circulated):
    member = seat(kenya, "network", "FAO")
    client.force_login(member)
    url = f"{API}/{circulated.meeting.pk}/minutes/comments/"
    for data in ({}, {"text": ""}, {"text": ["x"]}, {"text": {"a": 1}}):
        response = post(client, url, data)
        assert response.status_code == 400 and "text" in response.json(), data
    assert not MinutesComment.objects.exists()
    # A working group's minutes: the Secretariat reads them, only the group's members comment.
    group = charter_powers.establish_working_group(network=kenya, name="Returns TWG")
    network_services.add_membership(by=None, body=group, organisation=Organisation.objects.get(acronym="ILO"))
    meeting = _meeting(group, "Returns TWG 1", days_ago=1)
    minutes = services.start_minutes(by=None, meeting=meeting)
    services.circulate_minutes(by=None, minutes=minutes, comment_deadline=in_days(meeting, 3))
    secretariat = seat(kenya, "secretariat", "IOM", role="secretariat")
    client.force_login(secretariat)
    refused = post(client, f"{API}/{meeting.pk}/minutes/comments/", {"text": "From outside"})
    assert refused.status_code == 403 and "Only members of Returns TWG" in refused.json()["detail"]
    client.force_login(seat(kenya, group.slug, "ILO"))
    assert post(client, f"{API}/{meeting.pk}/minutes/comments/", {"text": "ILO agrees"}).status_code == 201
    client.force_login(member)  # not in the group: does not see its meeting at all
    assert client.get(f"{API}/{meeting.pk}/minutes/comments/").status_code == 404
    assert post(client, f"{API}/{meeting.pk}/minutes/comments/", {"text": "x"}).status_code == 404
    assert list(MinutesComment.objects.values_list("text", flat=True)) == ["ILO agrees"]


def test_another_networks_meeting_is_404(client, kazakhstan, kazakhstan_secretariat, kenya_secretariat):
    meeting = _meeting(kazakhstan.bodies.get(slug="network"), "Almaty", days_ago=3)
    services.add_agenda_item(by=None, meeting=meeting, title="Welcome")
    minutes = services.start_minutes(by=kazakhstan_secretariat, meeting=meeting)
    client.force_login(kenya_secretariat)
    before = snapshot()
    actions = ("start", "save", "circulate", "comments", "approve", "disseminate", "correct", "revise")
    for action in actions:
        data = {"revision": 0, "summary": "x", "comment_deadline": "2099-01-01", "text": "x"}
        # Through Kenya's address: no such meeting in Kenya.
        assert post(client, f"{API}/{meeting.pk}/minutes/{action}/", data).status_code == 404, action
        # Through Kazakhstan's: no such network this user can see.
        other = f"/api/v1/networks/kazakhstan/meetings/{meeting.pk}/minutes/{action}/"
        assert post(client, other, data).status_code == 404, action
    assert client.get(f"{API}/{meeting.pk}/minutes/").status_code == 404
    assert client.get(f"{API}/{meeting.pk}/minutes/comments/").status_code == 404
    assert snapshot() == before
    minutes.refresh_from_db()
    assert (minutes.status, minutes.summary, minutes.revision) == ("draft", "", 0)
