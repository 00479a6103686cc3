"""Synthetic networks at the scale of every UN network on migration, made with bulk inserts.

Each network gets a charter shaped like Kenya's (plenary, Executive Committee, Secretariat, UNCT,
working groups), 20–40 member organisations with principal and alternate representatives, and an
audit trail. The first network (the flagship, the one measured) has a larger plenary of 50.

Meetings (issue 6): ten years of them per network, ending a year ahead. The plenary meets every
quarter (40 meetings; the fourth quarter's is the annual meeting), each working group 2–4 times a
year. Each meeting has 10–30 agenda items (after the first, item 1 approves the previous meeting's
minutes). Past meetings were held (a few working-group meetings cancelled) and have attendance for
every member organisation of the body (present with its representative, apologies or absent) and
version-1 minutes, approved at the next meeting or by no objection and then disseminated, with a
short note per agenda item; the latest may still be out for comments. Upcoming meetings are drafts,
the next one of each body circulated. In the flagship, the plenary meeting before the last one held
has 30 items and 50 attendance rows: the issue's anchor.

Later capabilities add their records here (decisions, workplans, statements and releases…).
"""

import datetime
import random
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from convene.accounts.models import User
from convene.core.models import ChangeLog
from convene.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesItem,
)
from convene.networks.models import Body, Membership, Network, Organisation, Representative, Rule

PASSWORD = "bench-password"
RULES = [
    (
        "quarterly-meeting",
        Rule.Kind.MEETING_FREQUENCY,
        "The Network meets every quarter",
        {},
    ),
    ("new-members", Rule.Kind.MEMBERSHIP_APPROVAL, "New members are approved by the Executive Committee", {}),
    ("twg-co-chairs", Rule.Kind.CO_CHAIR_ROTATION, "TWG co-chairs rotate annually", {"term_months": 12}),
    ("members-list", Rule.Kind.MEMBERS_LIST, "The members list is shared regularly", {"interval_days": 90}),
    ("every-member-represented", Rule.Kind.REPRESENTATION, "Each member is represented", {}),
    ("decisions-by-consensus", Rule.Kind.DECISION_MAKING, "Decisions by consensus", {}),
    ("confidentiality", Rule.Kind.CONFIDENTIALITY, "Internal use unless agreed", {}),
    ("annual-network-meeting", Rule.Kind.ANNUAL_MEETING, "An annual meeting of the full membership", {}),
    ("extraordinary-meetings", Rule.Kind.EXTRAORDINARY_MEETING, "The ExCom calls extraordinary meetings", {}),
    ("minutes-and-records", Rule.Kind.MINUTES, "Minutes are disseminated", {"minutes_days_after": 14}),
]
TOPICS = [
    "Update from the Coordinator",
    "Workplan implementation review",
    "Return and reintegration",
    "Labour migration and decent work",
    "Migration data and the national statistics office",
    "Climate change and human mobility",
    "Counter-trafficking coordination",
    "Border governance",
    "Regional Review of the Global Compact",
    "Joint programme proposal",
    "Migrant Protection and Assistance",
    "Funding and resource mobilisation",
    "Communication and advocacy plan",
    "Working group reports",
    "Government consultation on the national migration policy",
    "International Migrants Day",
    "Diaspora engagement",
    "Access to services for migrants",
    "Alternatives to immigration detention",
    "Children on the move",
    "Mixed movements and protection",
    "Remittances and financial inclusion",
    "Capacity building for local authorities",
    "Evidence and research agenda",
    "Membership applications",
    "Co-chair rotation",
    "Annual report to the UNCT",
    "Cooperation Framework results group",
    "Emergency preparedness",
    "Any other business",
]
NOTES = [
    "{org} presented the item; members took note and asked for the slides to be shared.",
    "Discussion led by {org}; members agreed to follow up bilaterally before the next meeting.",
    "{org} gave an update. Questions on timelines and funding were answered.",
    "Members exchanged views; {org} will circulate a short written summary.",
]
MINUTES_ITEM = "Approval of the minutes of the previous meeting"  # as the app opens an agenda
PLACES = ["UN House, conference room 1", "UN House, conference room 2", "IOM country office", "Online"]
ITEM_KINDS = (
    [AgendaItem.Kind.INFORMATION] * 3 + [AgendaItem.Kind.DISCUSSION] * 5 + [AgendaItem.Kind.DECISION] * 2
)


@dataclass
class Scale:
    networks: int = 100
    min_members: int = 20
    max_members: int = 40
    working_groups: int = 3
    audit_rows_per_network: int = 500
    years: int = 10  # of meetings, the last one ahead
    min_items: int = 10  # agenda items per meeting
    max_items: int = 30
    min_group_meetings: int = 2  # a year, per working group
    max_group_meetings: int = 4
    flagship_members: int = 50  # the first network's plenary: the anchor meeting's attendance
    decisions: int = 30  # adopted decisions per network, over the years
    actions: int = 120  # action items per network
    flagship_decisions: int = 2000  # the measured network: its register and monitoring at scale
    flagship_actions: int = 10_000
    flagship_activities: int = 200  # in this year's workplan of the measured network
    flagship_statements: int = 30  # each put to every member of the plenary, the first answered by all
    flagship_releases: int = 200  # decisions made public on its public page

    def times(self, factor: float) -> "Scale":
        return Scale(
            networks=max(1, round(self.networks * factor)),
            min_members=self.min_members,
            max_members=self.max_members,
            working_groups=self.working_groups,
            audit_rows_per_network=round(self.audit_rows_per_network * factor),
            years=self.years,
            min_items=self.min_items,
            max_items=self.max_items,
            min_group_meetings=self.min_group_meetings,
            max_group_meetings=self.max_group_meetings,
            flagship_members=self.flagship_members,
            decisions=self.decisions,
            actions=self.actions,
            flagship_decisions=self.flagship_decisions,
            flagship_actions=self.flagship_actions,
            flagship_activities=self.flagship_activities,
            flagship_statements=self.flagship_statements,
            flagship_releases=self.flagship_releases,
        )


@dataclass
class Made:
    networks: list[Network]
    secretariat: dict[int, User]  # network id -> a Secretariat user
    member: dict[int, User]  # network id -> a member representative
    flagship: Network | None = None  # the largest network, the one measured
    anchor: Meeting | None = None  # its meeting with most agenda items and attendance rows


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
    extra = max(0, scale.flagship_members - scale.max_members)  # the flagship's further members
    orgs = Organisation.objects.bulk_create(
        Organisation(acronym=f"{prefix.upper()}{i:05d}", name=f"Organisation {prefix} {i:05d}", kind="un")
        for i in range(scale.networks * scale.max_members + extra)
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
    seated: dict[int, list[Organisation]] = {}  # body id -> its member organisations
    for i, network in enumerate(networks):
        plenary, executive, secretariat, unct, *groups = by_network[network.pk]
        members = orgs[
            i * scale.max_members : i * scale.max_members + rng.randint(scale.min_members, scale.max_members)
        ]
        if i == 0 and scale.flagship_members > len(members):
            members = orgs[: scale.max_members] + orgs[len(orgs) - extra :]
            members = members[: scale.flagship_members]
        for j, org in enumerate(members):
            memberships.append(Membership(body=plenary, organisation=org, status="active"))
            seated.setdefault(plenary.pk, []).append(org)
            if j < 8:
                memberships.append(Membership(body=executive, organisation=org, status="active"))
            for g in groups:
                if rng.random() < 0.3:
                    memberships.append(Membership(body=g, organisation=org, status="active"))
                    seated.setdefault(g.pk, []).append(org)
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
    _decisions(rng, scale, networks, now)
    _workplan(rng, networks[0], scale.flagship_activities, now)
    _statements(networks[0], scale.flagship_statements, scale.flagship_releases, now)
    anchor = None
    for start in range(0, len(networks), 10):  # ten networks at a time, to bound memory
        chunk = networks[start : start + 10]
        made = _meetings(rng, scale, chunk, by_network, seated, persons, secretariat_users, now, networks[0])
        anchor = anchor or made
    return Made(
        networks=networks,
        secretariat=secretariat_users,
        member=member_users,
        flagship=networks[0],
        anchor=anchor,
    )


def _second_tuesday_of_last_month(year: int, quarter: int) -> datetime.date:
    first = datetime.date(year, 3 * quarter, 1)
    return first + datetime.timedelta(days=(1 - first.weekday()) % 7 + 7)


def _at(day: datetime.date, hour: int, tz: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz).astimezone(datetime.UTC)


def _meetings(rng, scale, networks, by_network, seated, persons, secretariat_users, now, flagship):
    """`scale.years` of meetings of the plenary and the working groups of `networks`, with their
    agendas, attendance and minutes. Returns the flagship's anchor meeting if it is among them."""
    series = MeetingSeries.objects.bulk_create(
        MeetingSeries(
            network=n,
            body=by_network[n.pk][0],
            title="Quarterly Network meeting",
            rrule=f"FREQ=MONTHLY;BYMONTH=3,6,9,12;BYDAY=+2TU;COUNT={4 * scale.years}",
            description="Second Tuesday of the last month of each quarter",
        )
        for n in networks
    )
    this_quarter = now.year * 4 + (now.month - 1) // 3
    ahead = max(1, scale.years * 4 // 10)  # quarters scheduled ahead (a year in ten)
    quarters = range(this_quarter - 4 * scale.years + ahead, this_quarter + ahead)
    first_day = datetime.date(quarters[0] // 4, 3 * (quarters[0] % 4) + 1, 1)
    last_day = _second_tuesday_of_last_month(quarters[-1] // 4, quarters[-1] % 4 + 1)

    plans = []  # (meeting, member organisations, number of agenda items)
    anchor = None
    for network, series_ in zip(networks, series, strict=True):
        tz = ZoneInfo(network.timezone)
        plenary, _executive, _secretariat, _unct, *groups = by_network[network.pk]
        by = secretariat_users.get(network.pk)
        occasions = []  # (body, kind, title, day, start hour, hours)
        for q in quarters:
            year, number = q // 4, q % 4 + 1
            day = _second_tuesday_of_last_month(year, number)
            if number == 4:
                occasions.append((plenary, Meeting.Kind.ANNUAL, f"Annual Network Meeting {year}", day, 9, 7))
            else:
                occasions.append(
                    (plenary, Meeting.Kind.REGULAR, f"Network meeting Q{number} {year}", day, 9, 3)
                )
        for g in groups:
            for year in range(first_day.year, last_day.year + 1):
                count = rng.randint(scale.min_group_meetings, scale.max_group_meetings)
                for month in sorted(rng.sample(range(1, 13), count)):
                    day = datetime.date(year, month, rng.randint(1, 28))
                    if first_day <= day <= last_day:
                        title = f"{g.name} meeting, {day:%B %Y}"
                        occasions.append((g, Meeting.Kind.WORKING_GROUP, title, day, 14, 2))
        upcoming = set()  # bodies whose next meeting is already scheduled and its agenda circulated
        for body, kind, title, day, hour, hours in sorted(occasions, key=lambda o: o[3]):
            starts_at = _at(day, hour, tz)
            meeting = Meeting(
                network=network,
                body=body,
                series=series_ if body is plenary else None,
                kind=kind,
                title=title,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=hours),
                timezone=network.timezone,
                location=rng.choice(PLACES),
                external_stakeholders="Government, civil society, academia"
                if kind == Meeting.Kind.ANNUAL
                else "",
                created_by=by,
            )
            if meeting.location == "Online" or rng.random() < 0.3:
                meeting.online_url = (
                    f"https://meet.example.org/{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}"
                )
            if meeting.ends_at < now:
                if kind == Meeting.Kind.WORKING_GROUP and rng.random() < 0.03:
                    meeting.status = Meeting.Status.CANCELLED
                    meeting.cancel_reason = "Co-chairs unavailable; postponed to the next meeting."
                else:
                    meeting.status = Meeting.Status.HELD
                meeting.agenda_circulated_at = starts_at - datetime.timedelta(days=rng.randint(4, 21))
            elif body.pk not in upcoming:
                upcoming.add(body.pk)
                meeting.status = Meeting.Status.CIRCULATED
                meeting.agenda_circulated_at = min(
                    now - datetime.timedelta(hours=1), starts_at - datetime.timedelta(days=14)
                )
            else:
                meeting.status = Meeting.Status.DRAFT
            plans.append([meeting, seated.get(body.pk, []), rng.randint(scale.min_items, scale.max_items)])
        if network is flagship:
            # The anchor: a full agenda at the plenary meeting before the last one held, so that its
            # minutes were approved at the last one (and disseminated, unless that was days ago).
            held = [p for p in plans if p[0].body is plenary and p[0].status == Meeting.Status.HELD]
            held[-2 if len(held) > 1 else -1][2] = scale.max_items
            anchor = held[-2 if len(held) > 1 else -1][0]
    Meeting.objects.bulk_create([p[0] for p in plans])

    # Agenda items, attendance and minutes items are most of the rows: plain INSERTs, no model objects.
    previous, following = {}, {}  # meeting id -> the body's previous / next meeting not cancelled
    last = {}
    for meeting, _members, _n in plans:  # plans are in date order within each network
        if meeting.status == Meeting.Status.CANCELLED:
            continue
        if meeting.body_id in last:
            previous[meeting.pk] = last[meeting.body_id].pk
            following[last[meeting.body_id].pk] = meeting
        last[meeting.body_id] = meeting
    items, attendance, minutes = [], [], []
    agendas = {}  # meeting id -> [(order, title, kind, presenter)]
    statuses = [Attendance.Status.PRESENT, Attendance.Status.APOLOGIES, Attendance.Status.ABSENT]
    for meeting, members, n in plans:
        agenda = agendas[meeting.pk] = []
        prev = previous.get(meeting.pk)
        topics = rng.sample(TOPICS, min(len(TOPICS), n))
        for order in range(1, n + 1):
            if order == 1 and prev:
                title, kind, presenter, duration = MINUTES_ITEM, AgendaItem.Kind.DECISION, None, None
            else:
                title = topics[(order - 1) % len(topics)] + (f" ({order})" if order > len(topics) else "")
                kind, duration = rng.choice(ITEM_KINDS), rng.choice((5, 10, 15, 15, 20, 30))
                presenter = rng.choice(members) if members else None
            agenda.append((order, title, kind, presenter))
            items.append(
                (
                    meeting.pk,
                    order,
                    title,
                    kind,
                    presenter and presenter.pk,
                    duration,
                    prev if order == 1 else None,
                )
            )
        if meeting.status != Meeting.Status.HELD:
            continue
        for org in members:
            status = rng.choices(statuses, [78, 14, 8])[0]
            if status == Attendance.Status.PRESENT:
                person = persons[(meeting.network_id, org.pk)].pk
                attendance.append((meeting.pk, org.pk, status, person, Attendance.Capacity.PRINCIPAL))
            else:
                attendance.append((meeting.pk, org.pk, status, None, ""))
        minutes.append(_minutes(rng, meeting, following.get(meeting.pk), now))
    _insert(
        AgendaItem,
        ["meeting", "order", "title", "kind", "presenter", "duration_minutes", "previous_meeting"],
        items,
    )
    _insert(Attendance, ["meeting", "organisation", "status", "person", "capacity"], attendance)
    Minutes.objects.bulk_create(minutes)
    item_ids = dict(
        ((meeting_id, order), pk)
        for meeting_id, order, pk in AgendaItem.objects.filter(
            meeting__pk__range=(plans[0][0].pk, plans[-1][0].pk)
        ).values_list("meeting_id", "order", "pk")
    )
    notes = []
    for record in minutes:
        for order, title, kind, presenter in agendas[record.meeting_id]:
            org = presenter.acronym if presenter else "The Secretariat"
            notes.append(
                (
                    record.pk,
                    item_ids[(record.meeting_id, order)],
                    order,
                    title,
                    rng.choice(NOTES).format(org=org),
                    "Agreed." if kind == AgendaItem.Kind.DECISION else "",
                    f"{org} to follow up." if rng.random() < 0.2 else "",
                )
            )
    _insert(
        MinutesItem,
        ["minutes", "agenda_item", "order", "title", "notes", "decisions", "action_points"],
        notes,
    )
    return anchor


def _minutes(rng, meeting, following, now) -> Minutes:
    """Circulated days after the meeting; approved at the next meeting or by no objection, then sent."""
    circulated = meeting.ends_at + datetime.timedelta(days=rng.randint(3, 20))
    deadline = circulated + datetime.timedelta(days=14)
    minutes = Minutes(
        meeting=meeting,
        version=1,
        summary=f"{meeting.title}: the meeting reviewed its agenda; decisions and action points below.",
        comment_deadline=deadline.date(),
        circulated_at=circulated,
    )
    if following is not None and following.status == Meeting.Status.HELD and following.starts_at > deadline:
        minutes.approved_at, minutes.approved_at_meeting = following.starts_at, following
    elif deadline < now:
        minutes.approved_at, minutes.approval_note = deadline, "No objection by the deadline."
    if minutes.approved_at is None:
        minutes.status = Minutes.Status.CIRCULATED if circulated < now else Minutes.Status.DRAFT
        if circulated >= now:
            minutes.circulated_at = minutes.comment_deadline = None
        return minutes
    sent = minutes.approved_at + datetime.timedelta(days=rng.randint(1, 5))
    if sent < now:
        minutes.status, minutes.disseminated_at = Minutes.Status.DISSEMINATED, sent
    else:
        minutes.status = Minutes.Status.APPROVED
    return minutes


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """INSERT `rows` (values of `columns`, ready for the database), every other column at its default.

    bulk_create spends most of its time building and preparing model objects, field by field: here
    the values are plain and the constant columns are prepared once."""
    given = [model._meta.get_field(name) for name in columns]
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f not in given]
    now = timezone.now()
    constants = tuple(
        f.get_db_prep_save(
            now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default(),
            connection,
        )
        for f in rest
    )
    qn = connection.ops.quote_name
    names = ", ".join(qn(f.column) for f in given + rest)
    marks = ", ".join(["%s"] * (len(given) + len(rest)))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES ({marks})",
            [row + constants for row in rows],
        )


def _decisions(rng, scale, networks, now) -> None:
    """Per network: adopted decisions (every tenth superseding an earlier one, a few escalated to the
    UNCT) and action items of every status spread over them; the flagship has the most."""
    from convene.decisions.models import ActionItem, Decision, Escalation, Proposal

    statuses = [s for s, _label in ActionItem.Status.choices]
    today = timezone.localdate()
    for i, network in enumerate(networks):
        decisions = scale.flagship_decisions if i == 0 else scale.decisions
        actions = scale.flagship_actions if i == 0 else scale.actions
        body = Body.objects.filter(network=network, decision_method="consensus").first()
        unct = Body.objects.filter(network=network, kind=Body.Kind.UNCT).first()
        owners = list(
            Membership.objects.filter(body__network=network, status="active")
            .values_list("organisation_id", flat=True)
            .distinct()[:12]
        )
        if body is None or not owners:
            continue
        proposals = Proposal.objects.bulk_create(
            Proposal(
                network=network,
                body=body,
                title=f"{rng.choice(DECISION_TITLES)} ({n})",
                text="The Network decides.",
                topic=rng.choice(TOPICS),
                status="adopted",
                closed_at=now,
            )
            for n in range(decisions)
        )
        made = Decision.objects.bulk_create(
            Decision(
                network=network,
                body=body,
                proposal=p,
                year=now.year - (decisions - n) * 10 // max(decisions, 1),
                sequence=n + 1,
                number=f"{network.slug[:3].upper()}/{n + 1:05d}",
                title=p.title,
                text=p.text,
                topic=p.topic,
                adopted_at=now - datetime.timedelta(days=(decisions - n) * 3650 // max(decisions, 1)),
                adopted_by="consensus",
            )
            for n, p in enumerate(proposals)
        )
        for old, new in zip(made[0::10], made[5::10], strict=False):
            new.supersedes_id = old.pk
        Decision._base_manager.bulk_update(made[5::10], ["supersedes"])  # set-up only; decisions never change
        if unct is not None:
            open_ones = Proposal.objects.bulk_create(
                Proposal(
                    network=network, body=body, title=f"Contested matter {n}", text="x", status="escalated"
                )
                for n in range(3)
            )
            Escalation.objects.bulk_create(
                Escalation(proposal=p, to_body=unct, tabled_on=today) for p in open_ones
            )
        ActionItem.objects.bulk_create(
            ActionItem(
                network=network,
                decision=made[n % len(made)],
                title=f"Follow-up {n}",
                owner_organisation_id=owners[n % len(owners)],
                due_date=today + datetime.timedelta(days=rng.randint(-400, 120)),
                status=statuses[n % len(statuses)],
                completed_on=today if statuses[n % len(statuses)] == "done" else None,
            )
            for n in range(actions)
        )


DECISION_TITLES = [
    "Adopt the annual workplan",
    "Admit a new member",
    "Establish a technical working group",
    "Joint statement",
    "Endorse the GCM implementation plan",
    "Data sharing protocol",
    "Advocacy priorities",
    "Select co-chairs",
]
TOPICS = ["Workplan", "Membership", "Working groups", "Advocacy", "Data", "Labour migration", "Return"]


def _statements(network, statements: int, released: int, now) -> None:
    """Statements of the flagship in clearance by every plenary member, the first one answered by
    all (the measured one); and decisions released to its public page."""
    from convene.decisions.models import Decision
    from convene.statements import services
    from convene.statements.models import Clearance, Release

    plenary = network.bodies.get(kind=Body.Kind.PLENARY)
    for i in range(statements):
        statement = services.draft_statement(
            by=None,
            network=network,
            body=plenary,
            title=f"Joint statement {i:03d}",
            texts={"en": {"title": "", "text": "\n\n".join(f"Paragraph {k}." for k in range(8))}},
            authoritative_language="en",
            concerns_state=False,
        )
        round = services.put_to_clearance(by=None, statement=statement)
        if i == 0:
            Clearance.objects.filter(round=round).update(
                answer=Clearance.Answer.COMMENTS, comment="Fine.", answered_at=now
            )
    decision_type = ContentType.objects.get_for_model(Decision)
    decisions = (
        Decision.objects.filter(network=network).order_by("-adopted_at").values_list("pk", "title")[:released]
    )
    Release.objects.bulk_create(
        Release(
            network=network,
            record_type=decision_type,
            record_id=pk,
            title=title,
            status=Release.Status.RELEASED,
            released_at=now,
        )
        for pk, title in decisions
    )


def _workplan(rng, network, activities: int, now) -> None:
    """This year's workplan of the measured network: activities tagged to the GCM and SDGs, with
    this year's quarterly progress."""
    from convene.workplans.models import Activity, GcmObjective, ProgressUpdate, SdgTarget, Workplan

    if not activities:
        return
    year = now.year
    workplan = Workplan.objects.create(
        network=network, year=year, title=f"{network} workplan {year}", status="adopted"
    )
    leads = list(
        Membership.objects.filter(body__network=network, status="active")
        .values_list("organisation_id", flat=True)
        .distinct()[:15]
    )
    groups = list(Body.objects.filter(network=network, kind=Body.Kind.WORKING_GROUP))
    made = Activity.objects.bulk_create(
        Activity(
            workplan=workplan,
            code=f"{n // 10 + 1}.{n % 10 + 1}",
            title=f"Activity {n} on {rng.choice(TOPICS).lower()}",
            lead_organisation_id=leads[n % len(leads)],
            working_group=groups[n % len(groups)] if groups and n % 3 else None,
            start_quarter=1 + n % 2,
            end_quarter=3 + n % 2,
            budget=10000 * (1 + n % 9),
            funded=5000 * (n % 3),
            pipeline=2000 * (n % 2),
        )
        for n in range(activities)
    )
    objectives, targets = list(GcmObjective.objects.all()), list(SdgTarget.objects.all())
    Activity.gcm_objectives.through.objects.bulk_create(
        Activity.gcm_objectives.through(activity=a, gcmobjective=objectives[(n + k * 7) % 23])
        for n, a in enumerate(made)
        for k in range(2)
    )
    Activity.sdg_targets.through.objects.bulk_create(
        Activity.sdg_targets.through(activity=a, sdgtarget=targets[n % len(targets)])
        for n, a in enumerate(made)
    )
    quarter = (now.month - 1) // 3 + 1
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            activity=a,
            year=year,
            quarter=q,
            narrative="On track.",
            percent=min(100, 20 * q),
            rag=rng.choice(["green", "amber", "red"]),
        )
        for a in made
        for q in range(1, quarter + 1)
    )
