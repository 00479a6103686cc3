"""The decisions API end to end: the same rules and permissions as the pages, 4xx with a reason."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from convene.decisions import testing as charter_powers
from convene.decisions.models import Decision, Proposal

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock

API = "/api/v1/networks/kenya"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def secretariat(client, kenya_secretariat):
    client.force_login(kenya_secretariat)
    return client


def test_propose_object_escalate_and_record_the_unct_decision(client, kenya, kenya_secretariat, ec):
    client.force_login(kenya_secretariat)
    response = post(
        client, f"{API}/proposals/", {"title": "Common messages", "text": "Adopt them.", "topic": "Returns"}
    )
    assert response.status_code == 201, response.json()
    proposal = response.json()
    assert proposal["body"] == "executive-committee" and len(proposal["waiting"]) == 8
    url = f"{API}/proposals/{proposal['id']}"

    client.force_login(ec["IOM"])
    assert post(client, f"{url}/position/", {"organisation": "IOM", "stance": "agree"}).status_code == 200
    assert post(client, f"{url}/position/", {"organisation": "ILO", "stance": "agree"}).status_code == 403
    assert post(client, f"{url}/close/").status_code == 403
    client.force_login(ec["UNHCR"])
    response = post(client, f"{url}/position/", {"organisation": "UNHCR", "stance": "object"})
    assert response.status_code == 400 and "reason" in response.json()["reason"][0].lower()
    post(client, f"{url}/position/", {"organisation": "UNHCR", "stance": "object", "reason": "Safeguards"})

    client.force_login(kenya_secretariat)
    response = post(
        client, f"{url}/position/", {"organisation": "OHCHR", "stance": "agree", "channel": "direct"}
    )
    assert response.status_code == 400  # on another's behalf, say how it was given
    post(client, f"{url}/position/", {"organisation": "OHCHR", "stance": "agree", "channel": "email"})
    closed = post(client, f"{url}/close/").json()
    assert closed["status"] == "escalated" and closed["escalations"][0]["to_body"] == "unct"
    today = kenya.today().isoformat()
    decided = post(
        client,
        f"{url}/escalation/",
        {"unct_meeting_note": "HoA", "outcome": "adopted", "decided_on": today, "unct_decision": "Endorsed"},
    ).json()
    assert decided["status"] == "adopted" and decided["decision"] == f"KEN/{kenya.today().year}/001"
    positions = {p["organisation"]: p for p in decided["positions"]}
    assert positions["OHCHR"]["channel"] == "email" and positions["UNHCR"]["stance"] == "object"

    register = client.get(f"{API}/decisions/", {"q": "common"}).json()
    assert [d["number"] for d in register["results"]] == [decided["decision"]]
    assert register["results"][0]["adopted_by"] == "unct"


def test_a_mandatory_consultation_blocks_adoption_until_recorded(
    client, kazakhstan, kazakhstan_secretariat, kz_members
):
    client.force_login(kazakhstan_secretariat)
    base = "/api/v1/networks/kazakhstan"
    response = post(
        client,
        f"{base}/proposals/",
        {"title": "Brief", "text": "Share it.", "consultations": ["consult-ministry-of-labour"]},
    )
    proposal = response.json()
    assert proposal["consultations"][0]["organisation"] == "MOL"
    url = f"{base}/proposals/{proposal['id']}"
    for acronym in kz_members:
        post(client, f"{url}/position/", {"organisation": acronym, "stance": "agree", "channel": "email"})
    refused = post(client, f"{url}/close/")
    assert refused.status_code == 400 and "mandatory consultation" in str(refused.json())
    consultation = proposal["consultations"][0]["id"]
    recorded = post(
        client,
        f"{url}/consultations/{consultation}/record/",
        {
            "consulted_on": kazakhstan.today().isoformat(),
            "consulted": "MOL migration dept.",
            "outcome": "Agrees",
        },
    )
    assert recorded.status_code == 200
    assert post(client, f"{url}/close/").json()["status"] == "adopted"


def test_bad_input_is_a_400_with_a_reason_and_changes_nothing(secretariat):
    cases = [
        {"title": "T", "text": "X", "consultations": ["no-such-rule"]},
        {"title": "T", "text": "X", "body": "unct"},
        {"title": "T", "text": "X", "procedure": "written"},
        {"title": "T", "text": "X", "amends": "KEN/1999/001"},
        {"title": "T", "text": "X", "meeting": 999999},
        {"title": "T"},
    ]
    for data in cases:
        response = post(secretariat, f"{API}/proposals/", data)
        assert response.status_code == 400 and response.json(), data
    assert not Proposal.objects.exists()


def test_members_read_but_do_not_propose_and_outsiders_see_nothing(
    client, kenya_member, kazakhstan_secretariat, propose
):
    proposal = propose()
    client.force_login(kenya_member)
    assert client.get(f"{API}/proposals/{proposal.pk}/").status_code == 200
    assert post(client, f"{API}/proposals/", {"title": "T", "text": "X"}).status_code == 403
    client.force_login(kazakhstan_secretariat)
    for url in (
        f"{API}/proposals/",
        f"{API}/proposals/{proposal.pk}/",
        f"{API}/decisions/",
        f"{API}/action-items/",
    ):
        assert client.get(url).status_code == 404


def test_action_items_progress_comment_and_mine(client, kenya, kenya_secretariat, ec, kenya_member, propose):
    from convene.decisions import services

    services.close_proposal(by=None, proposal=propose())
    number = Decision.objects.get().number
    client.force_login(kenya_secretariat)
    due = (kenya.today() + datetime.timedelta(days=5)).isoformat()
    created = post(
        client,
        f"{API}/action-items/",
        {
            "title": "Draft",
            "owner_organisation": "ILO",
            "owner": ec["ILO"].email,
            "due_date": due,
            "decision": number,
        },
    )
    assert created.status_code == 201 and created.json()["decision"] == number
    item = f"{API}/action-items/{created.json()['id']}"
    bad = post(client, f"{API}/action-items/", {"title": "X", "owner_organisation": "NOPE", "due_date": due})
    assert bad.status_code == 400
    client.force_login(ec["ILO"])
    assert [a["title"] for a in client.get(f"{API}/action-items/", {"mine": "true"}).json()["results"]] == [
        "Draft"
    ]
    assert post(client, f"{item}/progress/", {"text": "Done", "status": "done"}).json()["status"] == "done"
    client.force_login(kenya_member)
    assert post(client, f"{item}/progress/", {"text": "x"}).status_code == 403
    assert post(client, f"{item}/comment/", {"text": "Thanks"}).status_code == 201
    detail = client.get(f"{item}/").json()
    assert [u["text"] for u in detail["updates"]] == ["Done", "Thanks"]
    summary = client.get(f"{API}/decisions/summary/").json()
    assert summary["summary"]["actions"]["done"] == 1


def test_list_queries_do_not_grow(secretariat, kenya, propose):
    from convene.decisions import services
    from convene.networks.models import Organisation

    ilo = Organisation.objects.get(acronym="ILO", country="")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert secretariat.get(url).status_code == 200
        return len(ctx)

    def add(n):
        for _ in range(n):
            proposal = propose()
            services.close_proposal(by=None, proposal=proposal)
            services.create_action_item(
                by=None, network=kenya, title="A", owner_organisation=ilo, due_date=kenya.today(),
                decision=proposal.decision,
            )  # fmt: skip

    add(2)
    before = [count(f"{API}/decisions/"), count(f"{API}/action-items/"), count(f"{API}/proposals/")]
    add(10)
    assert [count(f"{API}/decisions/"), count(f"{API}/action-items/"), count(f"{API}/proposals/")] == before


def test_register_filters_by_text_year_and_status(secretariat, kenya, propose):
    from convene.decisions import services

    def adopt(**fields):
        proposal = propose(**fields)
        services.close_proposal(by=None, proposal=proposal)
        return Decision.objects.get(proposal=proposal)

    old = adopt(title="Referral pathways for returnees")
    adopt(title="Common messages on labour migration")
    new = adopt(title="Referral pathways, revised", supersedes=old)
    year = kenya.today().year

    def numbers(**query):
        response = secretariat.get(f"{API}/decisions/", query)
        assert response.status_code == 200, response.json()
        return [d["number"] for d in response.json()["results"]]

    assert numbers(q="referral") == [new.number, old.number]
    assert numbers(year=year) == numbers() and numbers(year=year - 1) == []
    assert numbers(status="superseded") == [old.number]
    assert old.number not in numbers(status="in_force")
    detail = secretariat.get(f"{API}/decisions/{old.pk}/").json()
    assert detail["superseded_by"] == [new.number] and detail["proposal"] == old.proposal_id
    assert secretariat.get(f"{API}/decisions/", {"year": "last"}).status_code == 400
    assert secretariat.get(f"{API}/decisions/", {"status": "repealed"}).status_code == 400


def test_only_the_deciding_body_takes_positions(client, kenya_member, ec, propose):
    proposal = propose()
    client.force_login(kenya_member)  # FAO: a member of the network, not of the Executive Committee
    url = f"{API}/proposals/{proposal.pk}/position/"
    assert post(client, url, {"organisation": "FAO", "stance": "agree"}).status_code == 403
    assert post(client, url, {"organisation": "IOM", "stance": "agree"}).status_code == 403
    assert not proposal.positions.exists()


def test_procedure_withdraw_defer_reopen_and_consultations(client, kenya, kenya_secretariat, ec, propose):
    client.force_login(ec["ILO"])  # a member of a deciding body proposes, and may withdraw it
    mine = post(client, f"{API}/proposals/", {"title": "Data sharing", "text": "Agree the protocol."}).json()
    assert post(client, f"{API}/proposals/{mine['id']}/defer/", {"reason": "x"}).status_code == 403
    withdrawn = post(client, f"{API}/proposals/{mine['id']}/withdraw/", {"reason": "Premature"})
    assert withdrawn.json()["status"] == "withdrawn" and withdrawn.json()["outcome_note"] == "Premature"

    client.force_login(kenya_secretariat)
    url = f"{API}/proposals/{propose().pk}"
    added = post(client, f"{url}/consultations/", {"title": "Ministry of Interior", "organisation": "NOPE"})
    assert added.status_code == 400 and "NOPE" in added.json()["organisation"][0]
    added = post(client, f"{url}/consultations/", {"title": "UNHCR legal unit", "organisation": "unhcr"})
    assert added.status_code == 201 and added.json()["organisation"] == "UNHCR"
    future = (kenya.today() + datetime.timedelta(days=2)).isoformat()
    recorded = post(
        client,
        f"{url}/consultations/{added.json()['id']}/record/",
        {"consulted_on": future, "consulted": "Legal unit", "outcome": "Fine"},
    )
    assert recorded.status_code == 400 and "future" in recorded.json()["consulted_on"][0]
    assert post(client, f"{url}/consultations/999999/record/", {}).status_code == 404
    assert post(client, f"{url}/defer/", {"reason": ""}).status_code == 400
    assert post(client, f"{url}/defer/", {"reason": "To the next meeting"}).json()["status"] == "deferred"
    assert post(client, f"{url}/close/").status_code == 400  # closed: nothing to close
    reopened = post(client, f"{url}/reopen/", {"reason": "On the agenda again"})
    assert reopened.json()["status"] == "open" and reopened.json()["consultations"][0]["status"] == "pending"


def test_malformed_input_is_a_400_never_a_500(secretariat, kenya, propose):
    from convene.networks import services as network_services
    from convene.networks.models import Organisation

    group = charter_powers.establish_working_group(network=kenya, name="Returns TWG")
    for acronym in ("ILO", "UNHCR"):
        organisation = Organisation.objects.get(acronym=acronym, country="")
        network_services.add_membership(by=None, body=group, organisation=organisation)
    proposals = f"{API}/proposals/"
    chairs = {"kind": "select_co_chairs", "working_group": group.slug}
    cases = [
        ({"kind": "establish_working_group", "payload": [1]}, "payload"),
        ({"kind": "establish_working_group", "payload": {"name": ["x"]}}, "payload"),
        ({"kind": "establish_working_group", "payload": {"name": "Returns TWG"}}, "payload"),
        ({"kind": "change_working_group", "working_group": group.slug, "payload": {"size": 3}}, "payload"),
        (chairs | {"payload": {"organisations": 5}}, "payload"),
        (chairs | {"payload": {"organisations": ["WFP"]}}, "payload"),  # not a member of the group
        (chairs | {"payload": {"organisations": ["NOPE"]}}, "organisation"),
        ({"amends": "KEN/1999/001"}, "amends"),
        ({"supersedes": "KEN/1999/001"}, "supersedes"),
        ({"meeting": "next"}, "meeting"),
        ({"deadline": "tomorrow"}, "deadline"),
    ]
    for data, field in cases:
        response = post(secretariat, proposals, {"title": "T", "text": "X", **data})
        assert response.status_code == 400 and field in response.json(), (data, response.json())
    assert not Proposal.objects.filter(title="T").exists()
    chairs = post(
        secretariat,
        proposals,
        {
            "title": "Co-chairs of the Returns TWG",
            "text": "ILO and UNHCR co-chair.",
            "kind": "select_co_chairs",
            "working_group": group.slug,
            "payload": {"organisations": ["ilo", "UNHCR"], "start_date": "2027-01-01"},
        },
    )
    assert chairs.status_code == 201, chairs.json()
    ids = sorted(
        Organisation.objects.filter(acronym__in=["ILO", "UNHCR"], country="").values_list("pk", flat=True)
    )
    assert chairs.json()["payload"] == {"organisations": ids, "start_date": "2027-01-01"}
    for url in (f"{API}/proposals/abc/", f"{API}/action-items/abc/", f"{API}/decisions/abc/"):
        assert secretariat.get(url).status_code == 404


def test_action_items_bad_input_and_who_changes_them(client, kenya, kenya_secretariat, kenya_member, ec):
    client.force_login(kenya_secretariat)
    due = kenya.today().isoformat()
    items = f"{API}/action-items/"
    base = {"title": "Map services", "owner_organisation": "ILO", "due_date": due}
    for data, field in [
        ({"decision": "KEN/1999/001"}, "decision"),
        ({"minutes_item": 999999}, "minutes_item"),
        ({"owner": "nobody@example.org"}, "owner"),
        ({"owner": ec["UNHCR"].email}, "owner"),  # not a representative of ILO
        ({"owner_organisation": "UN-Habitat"}, "owner_organisation"),  # no seat in the network
        ({"due_date": "soon"}, "due_date"),
    ]:
        response = post(client, items, base | data)
        assert response.status_code == 400 and field in response.json(), (data, response.json())
    made = post(client, items, base).json()
    url = f"{items}{made['id']}/"
    moved = client.patch(
        url, {"due_date": "2031-01-31", "owner": ec["ILO"].email}, content_type="application/json"
    )
    assert moved.json()["due_date"] == "2031-01-31" and moved.json()["owner"] == ec["ILO"].email
    assert post(client, f"{url}progress/", {"text": "x", "status": "finished"}).status_code == 400
    client.force_login(kenya_member)
    assert client.patch(url, {"title": "Mine now"}, content_type="application/json").status_code == 403
    assert post(client, items, base).status_code == 403
    assert post(client, f"{url}comment/", {"text": ""}).status_code == 400


def test_escalation_is_tabled_at_a_meeting_of_the_unct(secretariat, kenya, propose):
    from convene.decisions import services
    from convene.meetings import services as meeting_services
    from convene.networks.models import Organisation

    proposal = propose()
    ilo = Organisation.objects.get(acronym="ILO", country="")
    services.record_position(by=None, proposal=proposal, organisation=ilo, stance="object", reason="R")
    services.close_proposal(by=None, proposal=proposal)
    starts = timezone.now() + datetime.timedelta(days=3)

    def meeting(body):
        return meeting_services.schedule_meeting(
            by=None,
            body=kenya.bodies.get(slug=body),
            title=body,
            kind="ad_hoc" if body == "unct" else "regular",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
        )

    url = f"{API}/proposals/{proposal.pk}/escalation/"
    wrong = post(secretariat, url, {"unct_meeting": meeting("network").pk})
    assert wrong.status_code == 400 and "UNCT meeting" in wrong.json()["unct_meeting"][0]
    unct = meeting("unct")
    tabled = post(secretariat, url, {"unct_meeting": unct.pk})
    assert tabled.json()["escalations"][0]["unct_meeting"] == unct.pk
    undated = post(secretariat, url, {"outcome": "not_adopted", "unct_decision": "Not now"})
    assert undated.status_code == 400 and "decided_on" in undated.json()
    decided = post(
        secretariat,
        url,
        {
            "outcome": "not_adopted",
            "decided_on": kenya.today().isoformat(),
            "unct_decision": "Not now",
        },
    )
    assert decided.json()["status"] == "not_adopted" and decided.json()["decision"] is None
    assert post(secretariat, url, {"unct_meeting_note": "x"}).status_code == 400  # no longer pending


def test_a_status_change_through_patch_is_refused_with_a_reason(client, kenya, kenya_secretariat):
    from convene.decisions import services as decision_services
    from convene.networks.models import Organisation

    ilo = Organisation.objects.get(acronym="ILO", country="")
    item = decision_services.create_action_item(
        by=None, network=kenya, title="A", owner_organisation=ilo, due_date=kenya.today()
    )
    client.force_login(kenya_secretariat)
    response = client.patch(
        f"{API}/action-items/{item.pk}/", {"status": "done"}, content_type="application/json"
    )
    assert response.status_code == 400 and "progress" in str(response.json())
