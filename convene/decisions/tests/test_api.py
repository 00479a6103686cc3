"""The decisions API end to end: the same rules and permissions as the pages, 4xx with a reason."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from convene.decisions.models import Decision, Proposal

API = "/api/v1/networks/kenya"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def secretariat(client, kenya_secretariat):
    client.force_login(kenya_secretariat)
    return client


def test_propose_object_escalate_and_record_the_unct_decision(client, kenya_secretariat, ec):
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
    today = timezone.localdate().isoformat()
    decided = post(
        client,
        f"{url}/escalation/",
        {"unct_meeting_note": "HoA", "outcome": "adopted", "decided_on": today, "unct_decision": "Endorsed"},
    ).json()
    assert decided["status"] == "adopted" and decided["decision"] == f"KEN/{timezone.localdate().year}/001"
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
        post(client, f"{url}/position/", {"organisation": acronym, "stance": "agree", "channel": "meeting"})
    refused = post(client, f"{url}/close/")
    assert refused.status_code == 400 and "mandatory consultation" in str(refused.json())
    consultation = proposal["consultations"][0]["id"]
    recorded = post(
        client,
        f"{url}/consultations/{consultation}/record/",
        {
            "consulted_on": timezone.localdate().isoformat(),
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
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
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
                by=None, network=kenya, title="A", owner_organisation=ilo, due_date=timezone.localdate(),
                decision=proposal.decision,
            )  # fmt: skip

    add(2)
    before = [count(f"{API}/decisions/"), count(f"{API}/action-items/"), count(f"{API}/proposals/")]
    add(10)
    assert [count(f"{API}/decisions/"), count(f"{API}/action-items/"), count(f"{API}/proposals/")] == before
