"""Synthetic networks at the scale of every UN network on migration, made with bulk inserts.

Each network gets a charter shaped like Kenya's (plenary, Executive Committee, Secretariat, UNCT,
working groups), 20–40 member organisations with principal and alternate representatives, and an
audit trail. Later capabilities add their records here (meetings, decisions, workplans…).
"""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from convene.accounts.models import User
from convene.core.models import ChangeLog
from convene.networks.models import Body, Membership, Network, Organisation, Representative, Rule

PASSWORD = "bench-password"
RULES = [
    (
        "quarterly-meeting",
        Rule.Kind.MEETING_FREQUENCY,
        "The Network meets every quarter",
        {"period": "quarter"},
    ),
    ("new-members", Rule.Kind.MEMBERSHIP_APPROVAL, "New members are approved by the Executive Committee", {}),
    ("twg-co-chairs", Rule.Kind.CO_CHAIR_ROTATION, "TWG co-chairs rotate annually", {"term_months": 12}),
    ("members-list", Rule.Kind.MEMBERS_LIST, "The members list is shared regularly", {"interval_days": 90}),
    ("every-member-represented", Rule.Kind.REPRESENTATION, "Each member is represented", {}),
    ("decisions-by-consensus", Rule.Kind.DECISION_MAKING, "Decisions by consensus", {"method": "consensus"}),
    ("confidentiality", Rule.Kind.CONFIDENTIALITY, "Internal use unless agreed", {}),
]


@dataclass
class Scale:
    networks: int = 100
    min_members: int = 20
    max_members: int = 40
    working_groups: int = 3
    audit_rows_per_network: int = 500

    def times(self, factor: float) -> "Scale":
        return Scale(
            networks=max(1, round(self.networks * factor)),
            min_members=self.min_members,
            max_members=self.max_members,
            working_groups=self.working_groups,
            audit_rows_per_network=round(self.audit_rows_per_network * factor),
        )


@dataclass
class Made:
    networks: list[Network]
    secretariat: dict[int, User]  # network id -> a Secretariat user
    member: dict[int, User]  # network id -> a member representative


@transaction.atomic
def build(scale: Scale, *, seed: int = 7, prefix: str = "bench") -> Made:
    """Create `scale.networks` networks; returns them with a Secretariat user and a member of each."""
    rng = random.Random(seed)
    password = make_password(PASSWORD)
    now = timezone.now()
    networks = Network.objects.bulk_create(
        Network(
            slug=f"{prefix}-{i:03d}",
            name=f"UN Network on Migration {i:03d}",
            short_name=f"UNNM {i:03d}",
            country=f"{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}",
            timezone=rng.choice(["Africa/Nairobi", "Asia/Almaty", "Europe/Zurich", "America/Panama"]),
        )
        for i in range(scale.networks)
    )
    orgs = Organisation.objects.bulk_create(
        Organisation(acronym=f"{prefix.upper()}{i:05d}", name=f"Organisation {prefix} {i:05d}", kind="un")
        for i in range(scale.networks * scale.max_members)
    )
    kinds = [
        ("network", "Plenary", Body.Kind.PLENARY),
        ("executive-committee", "Executive Committee", Body.Kind.EXECUTIVE),
        ("secretariat", "Coordinator and Secretariat", Body.Kind.SECRETARIAT),
        ("unct", "UN Country Team", Body.Kind.UNCT),
    ] + [
        (f"twg-{k}", f"Technical Working Group {k}", Body.Kind.WORKING_GROUP)
        for k in range(scale.working_groups)
    ]
    bodies = Body.objects.bulk_create(
        Body(
            network=n,
            slug=slug,
            name=name,
            kind=kind,
            order=o,
            co_chair_term_months=12 if o > 3 else None,
            decision_method="consensus" if kind == Body.Kind.EXECUTIVE else "",
        )
        for n in networks
        for o, (slug, name, kind) in enumerate(kinds)
    )
    by_network = {n.pk: bodies[i * len(kinds) : (i + 1) * len(kinds)] for i, n in enumerate(networks)}
    Rule.objects.bulk_create(
        Rule(
            network=n,
            key=key,
            kind=kind,
            title=title,
            params=params,
            order=o,
            body=by_network[n.pk][0],
            authority=by_network[n.pk][1],
        )
        for n in networks
        for o, (key, kind, title, params) in enumerate(RULES)
    )
    memberships, people, seats = [], [], []
    for i, network in enumerate(networks):
        plenary, executive, secretariat, unct, *groups = by_network[network.pk]
        members = orgs[
            i * scale.max_members : i * scale.max_members + rng.randint(scale.min_members, scale.max_members)
        ]
        for j, org in enumerate(members):
            memberships.append(Membership(body=plenary, organisation=org, status="active"))
            if j < 8:
                memberships.append(Membership(body=executive, organisation=org, status="active"))
            for g in groups:
                if rng.random() < 0.3:
                    memberships.append(Membership(body=g, organisation=org, status="active"))
        memberships.append(
            Membership(body=secretariat, organisation=members[0], role="secretariat", status="active")
        )
        memberships.append(Membership(body=unct, organisation=members[1], status="active"))
    memberships = Membership.objects.bulk_create(memberships)
    for m in memberships:
        # One person per organisation and network, so a representative holds all their seats.
        key = (m.body.network_id, m.organisation_id)
        seats.append((m, key))
    persons = {}
    for _m, key in seats:
        if key not in persons:
            network_id, org_id = key
            persons[key] = User(
                email=f"p{org_id}.{network_id}@{prefix}.test",
                full_name=f"Person {org_id}-{network_id}",
                password=password,
                date_joined=now,
            )
            people.append(persons[key])
    User.objects.bulk_create(people)
    Representative.objects.bulk_create(
        Representative(membership=m, person=persons[key], kind="principal") for m, key in seats
    )
    content_type = ContentType.objects.get_for_model(Membership)
    ChangeLog.objects.bulk_create(
        ChangeLog(
            network_id=n.pk,
            action="update",
            source="web",
            content_type=content_type,
            object_id=str(k),
            object_repr=f"Membership {k}",
            changes={"note": ["", "x"]},
        )
        for n in networks
        for k in range(scale.audit_rows_per_network)
    )
    secretariat_users, member_users = {}, {}
    for m, key in seats:
        if m.role == "secretariat":
            secretariat_users[key[0]] = persons[key]
    for m, key in seats:
        if (
            key[0] not in member_users
            and m.role == "member"
            and persons[key] != secretariat_users.get(key[0])
        ):
            member_users[key[0]] = persons[key]
    return Made(networks=networks, secretariat=secretariat_users, member=member_users)
