"""The network home opens with what the signed-in person owes, in one list by due date: positions,
consultations, comments on circulated minutes, their actions; the Secretariat also sees agenda
suggestions to review and charter rules due or missed. A plain member sees only their own."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from convene.decisions import services
from convene.decisions.models import ActionItem
from convene.meetings import services as meetings
from convene.networks.models import Organisation


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


def attention(client, slug="kenya") -> str:
    """The text of the "Needs your attention" section, tags stripped, one entry per line."""
    page = client.get(reverse("networks:home", args=[slug])).content.decode()
    section = page[page.index('id="attention-h"') :]
    section = section[section.index("</h2>") + 5 : section.index("</section>")]
    lines = (re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", li)).strip() for li in section.split("</li>"))
    return "\n".join(line for line in lines if line)


def entries(text: str) -> list[str]:
    return text.splitlines()


def held_meeting(network, body_slug, title):
    start = timezone.now() - datetime.timedelta(days=2)
    meeting = meetings.schedule_meeting(
        by=None,
        body=network.bodies.get(slug=body_slug),
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    minutes = meetings.start_minutes(by=None, meeting=meeting)
    meetings.circulate_minutes(
        by=None, minutes=minutes, comment_deadline=network.today() + datetime.timedelta(days=3)
    )
    return minutes


@pytest.mark.clock
def test_a_member_sees_what_they_owe_by_due_date_and_nothing_of_the_secretariat(
    client, kenya, kenya_member, kenya_secretariat
):
    today = kenya.today()
    plenary_minutes = held_meeting(kenya, "network", "Plenary Q3")
    held_meeting(kenya, "executive-committee", "ExCom Q3")  # FAO has no seat there
    services.create_action_item(
        by=None, network=kenya, title="Send the mapping", owner_organisation=org("FAO"),
        owner=kenya_member, due_date=today - datetime.timedelta(days=1),
    )  # fmt: skip
    services.create_action_item(
        by=None, network=kenya, title="Draft the terms", owner_organisation=org("FAO"),
        due_date=today + datetime.timedelta(days=10),
    )  # fmt: skip
    services.create_action_item(
        by=None, network=kenya, title="Somebody else's", owner_organisation=org("ILO"), due_date=today
    )
    upcoming = timezone.now() + datetime.timedelta(days=5)
    meeting = meetings.schedule_meeting(
        by=None, body=kenya.bodies.get(slug="network"), title="Q4", starts_at=upcoming,
        ends_at=upcoming + datetime.timedelta(hours=1),
    )  # fmt: skip
    meetings.suggest_agenda_item(by=kenya_member, meeting=meeting, title="Climate mobility")

    client.force_login(kenya_member)
    text = attention(client)
    yesterday, in_3, in_10 = (today + datetime.timedelta(days=n) for n in (-1, 3, 10))
    assert entries(text) == [
        f"Your action Send the mapping — FAO overdue, was due {yesterday:%-d %b %Y}",
        f"Comments on the draft minutes Plenary Q3 — {kenya.bodies.get(slug='network').name} "
        f"by {in_3:%-d %b %Y}",
        f"Your action Draft the terms — FAO by {in_10:%-d %b %Y}",
    ]
    for not_mine in ("ExCom Q3", "Somebody else", "Climate mobility", "Charter rule"):
        assert not_mine not in text

    meetings.comment_on_minutes(by=kenya_member, minutes=plenary_minutes, text="Para 3: add IOM.")
    assert "Plenary Q3" not in attention(client)


def test_the_secretariat_also_sees_suggestions_to_review_and_rules_due(
    client, kenya, kenya_member, kenya_secretariat
):
    upcoming = timezone.now() + datetime.timedelta(days=5)
    meeting = meetings.schedule_meeting(
        by=None, body=kenya.bodies.get(slug="network"), title="Q4", starts_at=upcoming,
        ends_at=upcoming + datetime.timedelta(hours=1),
    )  # fmt: skip
    meetings.suggest_agenda_item(by=kenya_member, meeting=meeting, title="Climate mobility")
    from convene.networks import services as networks

    networks.apply_for_membership(by=None, network=kenya, organisation=org("UN-Habitat"))

    client.force_login(kenya_secretariat)
    text = attention(client)
    assert "Agenda suggestions to review Climate mobility — Q4" in text
    assert "Charter rule" in text and "1 application(s) awaiting a decision of Executive Committee" in text

    meetings.decide_suggestion(by=kenya_secretariat, item=meeting.agenda_items.get(), accept=True)
    assert "Climate mobility" not in attention(client)


def test_positions_and_consultations_owed_until_given(client, kenya, ec, propose, in_a_week):
    proposal = propose(title="Needs UNDP", procedure="written", deadline=in_a_week)
    services.add_consultation(by=None, proposal=proposal, title="UNDP legal office", organisation=org("UNDP"))
    services.add_consultation(by=None, proposal=proposal, title="Ministry of Labour", organisation=org("ILO"))
    due = kenya.localtime(in_a_week).strftime("%-d %b %Y, %H:%M")

    client.force_login(ec["UNDP"])
    text = attention(client)
    assert f"Awaiting your position Needs UNDP — Executive Committee by {due}" in text
    assert f"Consultation UNDP legal office: Needs UNDP — Executive Committee by {due}" in text
    assert "Ministry of Labour" not in text  # put to ILO, not to UNDP

    services.record_position(by=ec["UNDP"], proposal=proposal, organisation=org("UNDP"), stance="agree")
    assert "Awaiting your position" not in attention(client)


def test_a_proposal_without_a_deadline_comes_after_the_dated_ones_on_every_database(
    kenya, ec, propose, in_a_week
):
    """The home asks each source for its earliest few: an undated proposal must not push a dated
    one out (SQLite sorts NULL first, PostgreSQL last)."""
    from convene.decisions.panels import owed_on_proposals

    propose(title="Undated")
    propose(title="Dated", procedure="written", deadline=in_a_week)
    assert [p.title for p in owed_on_proposals(ec["UNDP"], kenya, limit=1)] == ["Dated"]


def test_nothing_owed_says_so(client, kenya, kenya_member):
    client.force_login(kenya_member)
    assert "Nothing awaits you." in attention(client)


@pytest.mark.clock
def test_the_home_lists_the_ten_earliest_and_the_attention_page_everything(client, kenya, kenya_member):
    today = kenya.today()
    for n in range(12):  # "Action 11" is due first, tomorrow; "Action 00" last
        services.create_action_item(
            by=None, network=kenya, title=f"Action {n:02}", owner=kenya_member,
            owner_organisation=org("FAO"), due_date=today + datetime.timedelta(days=12 - n),
        )  # fmt: skip
    client.force_login(kenya_member)
    home = entries(attention(client))
    assert [line.split(" — ")[0] for line in home[:10]] == [
        f"Your action Action {n:02}" for n in range(11, 1, -1)
    ]
    assert home[10:] == ["See everything that awaits you"]

    page = client.get(reverse("networks:attention", args=["kenya"])).content.decode()
    positions = [page.index(f"Action {n:02}") for n in range(11, -1, -1)]
    assert positions == sorted(positions)  # all twelve, earliest first

    for action in ActionItem.objects.filter(title__in=["Action 00", "Action 01"]):
        services.report_progress(by=kenya_member, action=action, text="Sent.", status=ActionItem.Status.DONE)
    assert "See everything" not in attention(client)  # ten left: all on the home


def test_the_attention_page_is_the_networks_own(client, kenya, kazakhstan_secretariat):
    client.force_login(kazakhstan_secretariat)
    assert client.get(reverse("networks:attention", args=["kenya"])).status_code == 404
