"""The register (and its exports), proposals, action items, monitoring pages and the network home
(with what each person owes) make as many queries with 2,000 decisions, 10,000 action items and
200 meetings with minutes out for comments, suggested items and consultations as with a handful,
and at most 12."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from convene.decisions import services
from convene.decisions.models import ActionItem, ActionUpdate, Consultation, Decision, Proposal
from convene.meetings.models import AgendaItem, Meeting, Minutes
from convene.networks.models import Organisation


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


def bulk(kenya, decisions: int, actions: int, start: int = 0):
    """Adopted decisions, every tenth superseding the one before, and action items spread over them."""
    body = kenya.bodies.get(slug="executive-committee")
    owners = list(
        Organisation.objects.filter(acronym__in=["ILO", "IOM", "UNDP", "UNHCR", "UNICEF"], country="")
    )
    now = timezone.now()
    proposals = Proposal.objects.bulk_create(
        Proposal(
            network=kenya, body=body, title=f"Decision {n}", text="Text", topic=f"Topic {n % 7}",
            status="adopted", closed_at=now,
        )
        for n in range(start, start + decisions)
    )  # fmt: skip
    made = Decision.objects.bulk_create(
        Decision(
            network=kenya, body=body, proposal=p, number=f"KEN/2020/{n:05d}", year=2020 + n % 6,
            sequence=n, title=p.title, text="Text", topic=p.topic, adopted_by="consensus",
            adopted_at=now - datetime.timedelta(days=n),
        )
        for n, p in enumerate(proposals, start=start + 1)
    )  # fmt: skip
    statuses = [s for s, _label in ActionItem.Status.choices]
    today = kenya.today()
    ActionItem.objects.bulk_create(
        ActionItem(
            network=kenya, decision=made[n % len(made)], title=f"Action {n}",
            owner_organisation=owners[n % 5], due_date=today + datetime.timedelta(days=n % 90 - 45),
            status=statuses[n % 5],
            completed_on=today if statuses[n % 5] == "done" else None,
        )
        for n in range(actions)
    )  # fmt: skip
    for old, new in zip(made[0::10], made[1::10], strict=False):  # links the register shows
        new.supersedes_id = old.pk
    # Set-up only: the product never updates a decision (its manager refuses to).
    Decision._base_manager.bulk_update(made[1::10], ["supersedes"])
    return made


def bulk_owed(kenya, n: int, start: int = 0):
    """What people owe on the home page: meetings of the Executive Committee with draft minutes out
    for comments and suggested agenda items, and open proposals with a consultation put to ILO."""
    body = kenya.bodies.get(slug="executive-committee")
    now = timezone.now()
    made = Meeting.objects.bulk_create(
        Meeting(
            network=kenya, body=body, title=f"Meeting {i}", timezone=kenya.timezone,
            starts_at=now + datetime.timedelta(days=i % 40 - 20),
            ends_at=now + datetime.timedelta(days=i % 40 - 20, hours=2),
        )
        for i in range(start, start + n)
    )  # fmt: skip
    Minutes.objects.bulk_create(
        Minutes(meeting=m, status="circulated", comment_deadline=kenya.today() + datetime.timedelta(days=3))
        for m in made
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=m, title=f"Suggested {k}", status="proposed") for m in made for k in range(2)
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(network=kenya, body=body, title=f"Open {i}", text="Text", status="open")
        for i in range(start, start + n)
    )
    Consultation.objects.bulk_create(
        Consultation(network=p.network, proposal=p, title="Ministry of Labour", organisation=org("ILO"))
        for p in proposals
    )


@pytest.fixture
def world(kenya, kenya_secretariat, ec, propose):
    proposal = propose(title="Open one")
    for acronym, person in ec.items():
        services.record_position(by=person, proposal=proposal, organisation=org(acronym), stance="agree")
    action = services.create_action_item(
        by=None, network=kenya, title="Followed", owner_organisation=org("ILO"), due_date=kenya.today()
    )
    bulk_owed(kenya, 2)
    return {"proposal": proposal, "action": action, "secretariat": kenya_secretariat, "member": ec["ILO"]}


PAGES = [
    ("decisions:register", {}),
    ("decisions:register", {"q": "Decision 1", "year": "2021"}),
    ("decisions:register", {"status": "superseded"}),
    ("decisions:register", {"body": "executive-committee", "topic": "topic 3", "page": "2"}),
    ("decisions:register_xlsx", {}),
    ("decisions:register_pdf", {"year": "2021"}),  # a year: Typst takes its time over 2,000
    ("decisions:proposals", {"status": "all"}),
    ("decisions:actions", {}),
    ("decisions:actions", {"mine": "1"}),
    ("decisions:actions", {"overdue": "true", "status": ["open", "blocked"]}),
    ("decisions:monitoring", {}),
    ("networks:home", {}),
    ("networks:attention", {}),
]


def measure(client, world, user, adopted):
    """Queries per page as `user`; `adopted` is a decision with action items, amended by another."""
    client.force_login(user)
    counts = {}
    for name, params in PAGES:
        caches["fragments"].clear()  # each page as rendered first after a change
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(name, args=["kenya"]), params)
        assert response.status_code == 200, name
        counts[f"{name} {params}"] = len(ctx)
    for label, name, kwargs in (
        ("proposal, 8 positions", "decisions:proposal", {"proposal_id": world["proposal"].pk}),
        ("proposal, adopted", "decisions:proposal", {"proposal_id": adopted.proposal_id}),
        ("action, 20 updates", "decisions:action", {"action_id": world["action"].pk}),
    ):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name, kwargs={"network_slug": "kenya", **kwargs})).status_code == 200
        counts[label] = len(ctx)
    return counts


def test_queries_stay_flat_with_2000_decisions_and_10000_action_items(client, kenya, world):
    adopted = bulk(kenya, decisions=5, actions=20)[0]  # superseded by the next, 4 action items
    Decision.objects.bulk_create([
        Decision(
            network=kenya, body=adopted.body, proposal=Proposal.objects.create(
                network=kenya, body=adopted.body, title="Amending", text="Text", status="adopted"
            ), number="KEN/2019/00001", year=2019, sequence=1, title="Amending", text="Text",
            adopted_by="consensus", adopted_at=timezone.now(), amends=adopted,
        )
    ])  # fmt: skip
    small = {who: measure(client, world, world[who], adopted) for who in ("secretariat", "member")}
    bulk(kenya, decisions=2000, actions=10_000, start=5)
    bulk_owed(kenya, 200, start=2)
    ActionUpdate.objects.bulk_create(
        ActionUpdate(action=world["action"], text=f"Update {n}", is_comment=n % 2 == 0) for n in range(20)
    )
    assert Decision.objects.filter(network=kenya).count() == 2006
    assert ActionItem.objects.filter(network=kenya).count() == 10_021
    big = {who: measure(client, world, world[who], adopted) for who in ("secretariat", "member")}
    home = client.get(reverse("networks:home", args=["kenya"])).content.decode()  # as the member
    listed = home[home.index('class="plain attention-list"') :]
    assert listed[: listed.index("</ul>")].count("<li") == 10 and "See everything" in home
    owed = client.get(reverse("networks:attention", args=["kenya"])).content.decode()
    assert "Consultation" in owed and "Comments on the draft minutes" in owed and "Your action" in owed
    assert big == small
    # 17: the network home measures every charter rule from its records and lists what the person
    # owes, one query per kind of record, and reads the change counter of its cached structure (see
    # networks/tests/test_query_counts.py).
    assert max(max(c.values()) for c in big.values()) <= 17, big
    assert big["secretariat"]["decisions:register {}"] <= 10
