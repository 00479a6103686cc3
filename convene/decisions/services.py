"""Every write to proposals, positions, decisions, escalations and action items.

One transaction each, the domain rules checked (ValidationError), an audit row written. Who may
call them is decided by the caller with `permissions.py`. How a body decides comes from `rules.py`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.core import release_status
from convene.core.audit import check_changeable, record_change, save_changes
from convene.core.dates import show_date, show_datetime
from convene.core.mail import Content, Message, Phrase, Recipient, queue_email, queue_message
from convene.core.models import ChangeLog
from convene.meetings import services as meeting_services
from convene.meetings.models import AgendaItem, Meeting, MinutesItem
from convene.meetings.reminders import SECRETARIAT_REASON, once, secretariat_emails
from convene.networks import services as network_services
from convene.networks.models import Body, Membership, Network, Organisation, Representative, Rule
from convene.networks.queries import seat_recipients

from . import effects, rules
from .models import (
    ActionItem,
    ActionUpdate,
    Consultation,
    Decision,
    Escalation,
    FocalPoint,
    Position,
    Proposal,
)

CREATE, UPDATE = ChangeLog.Action.CREATE, ChangeLog.Action.UPDATE
Kind, Status = Proposal.Kind, Proposal.Status
# Fields of a working group a decision may change (those `update_working_group` accepts).
WORKING_GROUP_FIELDS = set(network_services.WORKING_GROUP_FIELDS)
# Why people who hold no seat in the body get a message.
FOCAL_POINT_REASON = gettext_lazy(
    "You receive this as a focal point of %(org)s for the consultations of %(network)s."
)
ACTION_OWNER_REASON = gettext_lazy(
    "You receive this because this action is assigned to you or to your organisation."
)


def proposal_url(proposal: Proposal) -> str:
    return settings.CONVENE_BASE_URL + reverse(
        "decisions:proposal", args=[proposal.network.slug, proposal.pk]
    )


def action_url(action: ActionItem) -> str:
    return settings.CONVENE_BASE_URL + reverse("decisions:action", args=[action.network.slug, action.pk])


def representatives_of(body: Body, organisation_ids) -> list[Recipient]:
    """The people who speak for these organisations in a body, each with their seat."""
    return seat_recipients(
        Representative.objects.current(on=body.network.today()).filter(
            membership__body=body, membership__organisation_id__in=list(organisation_ids)
        )
    )


# Proposals -------------------------------------------------------------------------------------


def _check_subject(*, network: Network, kind: str, membership, working_group, payload: dict) -> None:
    """A charter decision names what it changes; check it can take effect before anyone decides."""
    if kind == Kind.ADMIT_MEMBER:
        if membership is None or membership.body.network_id != network.pk:
            raise ValidationError({"membership": _("Choose the application to decide.")})
        if membership.status != Membership.Status.APPLIED:
            raise ValidationError({"membership": _("This application has already been decided.")})
        if membership.proposals.filter(status__in=[Status.OPEN, Status.ESCALATED]).exists():
            raise ValidationError({"membership": _("This application is already before a deciding body.")})
    elif kind == Kind.ESTABLISH_WORKING_GROUP:
        name = (payload.get("name") or "").strip()
        if not name:
            raise ValidationError({"payload": _("Give the name of the working group to establish.")})
        if network.bodies.filter(name__iexact=name).exists():
            raise ValidationError({"payload": _("This network already has a body with that name.")})
    elif kind in (Kind.CHANGE_WORKING_GROUP, Kind.ABOLISH_WORKING_GROUP, Kind.SELECT_CO_CHAIRS):
        if (
            working_group is None
            or working_group.network_id != network.pk
            or working_group.kind != Body.Kind.WORKING_GROUP
            or not working_group.is_active
        ):
            raise ValidationError({"working_group": _("Choose an active working group of this network.")})
        if kind == Kind.CHANGE_WORKING_GROUP and (not payload or set(payload) - WORKING_GROUP_FIELDS):
            raise ValidationError({"payload": _("Say what changes: name, focus, permanence or partners.")})
        if kind == Kind.SELECT_CO_CHAIRS:
            ids = payload.get("organisations") or []
            if not 1 <= len(ids) <= 3:
                raise ValidationError({"payload": _("Choose one to three co-chair organisations.")})
            members = set(
                working_group.memberships.current(on=network.today())
                .exclude(role__in=[Membership.Role.CO_CHAIR, Membership.Role.EXTERNAL_PARTNER])
                .values_list("organisation_id", flat=True)
            )
            if set(ids) - members:
                raise ValidationError({"payload": _("Co-chairs must be members of the working group.")})
            for key in ("start_date", "end_date"):
                if payload.get(key) is not None:
                    try:
                        datetime.date.fromisoformat(str(payload[key]))
                    except ValueError:
                        raise ValidationError(
                            {"payload": _("%(key)s is not a date (YYYY-MM-DD).") % {"key": key}}
                        ) from None


def _check_links(network: Network, *, amends, supersedes) -> None:
    for field, decision in (("amends", amends), ("supersedes", supersedes)):
        if decision is not None and decision.network_id != network.pk:
            raise ValidationError({field: _("No such decision in this network.")})
    if amends and supersedes:
        raise ValidationError({"supersedes": _("A decision amends or supersedes another, not both.")})


@transaction.atomic
def propose(
    *,
    by,
    network: Network,
    body: Body,
    title: str,
    text: str,
    rationale: str = "",
    topic: str = "",
    kind: str = Kind.GENERAL,
    procedure: str = Proposal.Procedure.MEETING,
    meeting: Meeting | None = None,
    deadline: datetime.datetime | None = None,
    membership: Membership | None = None,
    working_group: Body | None = None,
    payload: dict | None = None,
    consultations: list[Rule] = (),
    amends: Decision | None = None,
    supersedes: Decision | None = None,
    documents=(),
    concerns_state: bool | None = None,
    now: datetime.datetime | None = None,
    ask_members: bool = True,
) -> Proposal:
    """Put a matter to the body that decides it under the charter; its members are asked for
    their positions (unless they already gave them elsewhere, e.g. in a statement's clearance), and
    the charter's mandatory consultations that apply are opened. Where the charter makes consulting
    a ministry on state matters mandatory, `concerns_state` must be answered; yes opens that
    consultation (choosing the rule among `consultations` means yes)."""
    now = now or timezone.now()
    payload = payload or {}
    consultations = list(consultations)
    state_rule = rules.state_consultation_rule(network)
    if state_rule is None:
        concerns_state = None
    else:
        if state_rule in consultations:
            if concerns_state is False:
                message = _("A matter on which %(org)s is consulted concerns the state.")
                raise ValidationError({"concerns_state": message % {"org": state_rule.organisation.tr.name}})
            concerns_state = True
        if concerns_state is None:
            raise ValidationError(
                {
                    "concerns_state": _(
                        "Say whether this concerns the state: the charter requires consulting %(org)s "
                        "on all issues of concern to the state."
                    )
                    % {"org": state_rule.organisation.tr.name}
                }
            )
        if concerns_state and state_rule not in consultations:
            consultations.append(state_rule)
    if body.network_id != network.pk or not body.decision_method or not body.is_active:
        raise ValidationError({"body": _("This body does not take decisions under the charter.")})
    authority = rules.deciding_body_for(network, kind)
    if kind != Kind.GENERAL and authority and body.pk != authority.pk:
        raise ValidationError(
            {"body": _("The charter gives this decision to %(body)s.") % {"body": authority.tr.name}}
        )
    if not title.strip() or not text.strip():
        raise ValidationError(_("Give the proposal a title and the text to decide."))
    if procedure == Proposal.Procedure.WRITTEN:
        if deadline is None or deadline <= now:
            raise ValidationError({"deadline": _("A written procedure needs a deadline in the future.")})
    elif deadline is not None and deadline <= now:
        raise ValidationError({"deadline": _("The deadline for positions must be in the future.")})
    if meeting is not None and (
        meeting.network_id != network.pk or meeting.status == Meeting.Status.CANCELLED
    ):
        raise ValidationError({"meeting": _("Choose a meeting of this network that is not cancelled.")})
    if not rules.deciding_members(body):
        raise ValidationError({"body": _("%(body)s has no members to decide.") % {"body": body}})
    _check_subject(
        network=network, kind=kind, membership=membership, working_group=working_group, payload=payload
    )
    _check_links(network, amends=amends, supersedes=supersedes)
    for rule in consultations:
        if rule.network_id != network.pk or rule.kind != Rule.Kind.CONSULTATION:
            raise ValidationError({"consultations": _("No such consultation rule in this charter.")})

    proposal = Proposal(
        network=network,
        body=body,
        kind=kind,
        title=title.strip(),
        text=text.strip(),
        rationale=rationale.strip(),
        topic=topic.strip(),
        procedure=procedure,
        meeting=meeting,
        deadline=deadline,
        membership=membership,
        working_group=working_group,
        payload=payload,
        amends=amends,
        supersedes=supersedes,
        concerns_state=concerns_state,
        proposed_by=by if getattr(by, "is_authenticated", False) else None,
    )
    proposal.full_clean()
    if meeting is not None and meeting.status not in (Meeting.Status.HELD,):
        proposal.agenda_item = meeting_services.add_agenda_item(
            by=by,
            meeting=meeting,
            title=proposal.title,
            kind=AgendaItem.Kind.DECISION,
            description=proposal.text,
        )
    proposal.save()
    proposal.documents.set(documents)
    record_change(actor=by, obj=proposal, action=CREATE, network_id=network.pk)
    for rule in consultations:
        add_consultation(
            by=by,
            proposal=proposal,
            title=rule.title,
            organisation=rule.organisation,
            rule=rule,
            required=True,
        )
    if ask_members:
        _notify_members(proposal)
    return proposal


def _notify_members(proposal: Proposal) -> None:
    members = rules.deciding_members(proposal.body)

    def compose() -> Content:
        if proposal.procedure == Proposal.Procedure.WRITTEN:
            when = proposal.network.localtime(proposal.deadline)
            ask = _(
                "This is a written (silence) procedure: it is adopted on %(when)s unless a member objects.\n"
            ) % {"when": show_datetime(when, weekday=True)}
        else:
            meeting = proposal.meeting
            when = f"{meeting.title} ({show_date(meeting.local_start)})" if meeting else ""
            ask = _("It is to be decided at %(m)s.\n") % {"m": when} if meeting else ""
        return Content(
            subject=_("For your position: %(title)s") % {"title": proposal.title},
            text=_(
                "%(body)s is asked to decide:\n\n%(title)s\n\n%(text)s\n\n%(ask)s\n"
                "Give your organisation's position: %(url)s\n"
            )
            % {
                "body": proposal.body,
                "title": proposal.title,
                "text": proposal.text,
                "ask": ask,
                "url": proposal_url(proposal),
            },
        )

    queue_message(
        Message(
            topic="proposal",
            network=proposal.network,
            recipients=representatives_of(proposal.body, [m.organisation_id for m in members]),
            compose=compose,
        )
    )


def _check_open(proposal: Proposal) -> None:
    if proposal.status != Status.OPEN:
        raise ValidationError(
            _("This proposal is closed (%(status)s); the Secretariat can reopen it.")
            % {"status": proposal.get_status_display()}
        )


@transaction.atomic
def update_proposal(*, by, proposal: Proposal, **fields) -> Proposal:
    """Edit an open proposal. Once a position is taken its wording stays; the deadline may move.
    Whether it concerns the state goes from no to yes (opening the consultation), never back."""
    check_changeable(fields, {"title", "text", "rationale", "topic", "deadline", "meeting", "concerns_state"})
    _check_open(proposal)
    if "concerns_state" in fields:
        _change_concerns_state(proposal, by=by, concerns_state=fields.pop("concerns_state"))
    wording = {"title", "text", "rationale"} & {k for k, v in fields.items() if v != getattr(proposal, k)}
    if wording and proposal.positions.exists():
        raise ValidationError(
            _("Positions have been taken on this wording; withdraw it and propose it anew to change it.")
        )
    if "deadline" in fields:
        deadline = fields["deadline"]
        if deadline is None and proposal.procedure == Proposal.Procedure.WRITTEN:
            raise ValidationError({"deadline": _("A written procedure needs a deadline.")})
        if deadline is not None and deadline <= timezone.now():
            raise ValidationError({"deadline": _("The deadline must be in the future.")})
    save_changes(proposal, by=by, network_id=proposal.network_id, fields=fields)
    return proposal


def _change_concerns_state(proposal: Proposal, *, by, concerns_state) -> None:
    state_rule = rules.state_consultation_rule(proposal.network)
    if state_rule is None or concerns_state == proposal.concerns_state:
        return
    if concerns_state is None:
        raise ValidationError({"concerns_state": _("Say whether this concerns the state.")})
    if not concerns_state:
        # Once yes, the consultation is open and the Ministry has been told: the answer stays.
        raise ValidationError(
            {
                "concerns_state": _(
                    "The consultation of %(org)s is open: a matter of concern to the state stays one. "
                    "Withdraw the proposal and propose it anew if it was put by mistake."
                )
                % {"org": state_rule.organisation.tr.name}
            }
        )
    save_changes(proposal, by=by, network_id=proposal.network_id, fields={"concerns_state": True})
    if not proposal.consultations.filter(rule=state_rule).exists():
        add_consultation(
            by=by,
            proposal=proposal,
            title=state_rule.title,
            organisation=state_rule.organisation,
            rule=state_rule,
            required=True,
        )


@transaction.atomic
def attach_document(*, by, proposal: Proposal, upload, title: str = "", confidentiality: str = "internal"):
    """A paper for the proposal: internal to the network unless restricted to the deciding body."""
    from convene.library.services import upload_document

    document = upload_document(
        by=by,
        network=proposal.network,
        upload=upload,
        title=title,
        confidentiality=confidentiality,
        body=proposal.body if confidentiality == "restricted" else None,
    )
    proposal.documents.add(document)
    return document


# Consultations ---------------------------------------------------------------------------------


@transaction.atomic
def add_consultation(
    *,
    by,
    proposal: Proposal,
    title: str,
    organisation: Organisation | None = None,
    rule: Rule | None = None,
    required: bool = True,
) -> Consultation:
    _check_open(proposal)
    if not title.strip():
        raise ValidationError({"title": _("Say who is to be consulted.")})
    consultation = Consultation.objects.create(
        network_id=proposal.network_id,
        proposal=proposal,
        title=title.strip(),
        organisation=organisation,
        rule=rule,
        required=required,
    )
    record_change(actor=by, obj=consultation, action=CREATE, network_id=proposal.network_id)
    if organisation is not None:
        _notify_focal_points(consultation)
    return consultation


@transaction.atomic
def consult_on_text(*, by, network: Network, rule: Rule, subject: dict) -> Consultation:
    """Put a text the network is about to speak (a statement) to the organisation the charter says
    to consult, as it stands: `subject` is what its focal points read and answer on."""
    if rule.network_id != network.pk or rule.kind != Rule.Kind.CONSULTATION or rule.organisation is None:
        raise ValidationError(_("No such consultation rule in this charter."))
    consultation = Consultation.objects.create(
        network=network, subject=subject, title=rule.title, organisation=rule.organisation, rule=rule
    )
    record_change(actor=by, obj=consultation, action=CREATE, network_id=network.pk)
    _notify_focal_points(consultation)
    return consultation


@transaction.atomic
def update_consulted_text(*, by, consultation: Consultation, subject: dict) -> Consultation:
    """A pending consultation follows the text: the organisation answers on the latest wording."""
    if not consultation.is_open or consultation.proposal_id:
        raise ValidationError(_("This consultation is closed or not yours to answer."))
    save_changes(consultation, by=by, network_id=consultation.network_id, fields={"subject": subject})
    return consultation


@transaction.atomic
def withdraw_consultation(*, by, consultation: Consultation) -> Consultation:
    """The text it was on is withdrawn: nothing is left to answer."""
    if consultation.status == Consultation.Status.PENDING:
        save_changes(
            consultation,
            by=by,
            network_id=consultation.network_id,
            fields={"status": Consultation.Status.WITHDRAWN},
        )
    return consultation


def consultation_url(consultation: Consultation) -> str:
    return settings.CONVENE_BASE_URL + reverse(
        "decisions:consultation", args=[consultation.network.slug, consultation.pk]
    )


def _notify_focal_points(consultation: Consultation) -> None:
    """Tell the organisation's focal points a consultation is put to them (through the outbox)."""
    network, organisation = consultation.network, consultation.organisation
    to = sorted(
        FocalPoint.objects.active()
        .filter(network=network.pk, organisation=consultation.organisation_id)
        .values_list("person__email", flat=True)
    )
    if not to:
        return
    proposal, subject = consultation.proposal, consultation.subject

    def compose() -> Content:
        values = {"network": network, "org": organisation, "url": consultation_url(consultation)}
        if proposal is not None:
            return Content(
                subject=_("Consultation of %(org)s: %(title)s")
                % {"org": organisation, "title": proposal.title},
                text=_(
                    "%(network)s consults %(org)s before deciding:\n\n%(title)s\n\n%(text)s\n\n"
                    "Read the proposal and its papers, and record the answer of %(org)s: %(url)s\n"
                )
                % {**values, "title": proposal.title, "text": proposal.text}
                # The proposal and its papers leave the network: the ministry reads them in confidence.
                + f"\n{release_status.INTERNAL_MARKING}\n",
            )
        text = consulted_text(subject)
        return Content(
            subject=_("Consultation of %(org)s: %(title)s") % {"org": organisation, "title": text["title"]},
            text=_(
                "%(network)s consults %(org)s before speaking with one voice:\n\n%(title)s\n\n"
                "%(text)s\n\nRead the text in every language it is written in, and record the answer "
                "of %(org)s: %(url)s\n"
            )
            % {**values, "title": text["title"], "text": text["text"]}
            + f"\n{release_status.INTERNAL_MARKING}\n",
        )

    queue_email(
        to=to,
        topic="consultation",
        network=network,
        reason=Phrase(FOCAL_POINT_REASON, org=organisation, network=network),
        compose=compose,
    )


def consulted_text(subject: dict) -> dict:
    """The wording of a consulted text to show: in the reader's language where it is written in it,
    otherwise in its authoritative language."""
    texts = subject.get("texts") or {}
    language = translation.get_language()
    chosen = texts.get(language) or texts.get(subject.get("authoritative_language")) or {}
    return {"title": chosen.get("title") or subject.get("title", ""), "text": chosen.get("text", "")}


@transaction.atomic
def record_consultation(
    *, by, consultation: Consultation, consulted_on: datetime.date, consulted: str, outcome: str
) -> Consultation:
    """Record that a consultation took place: when, with whom, and what came of it."""
    if consultation.proposal_id:
        _check_open(consultation.proposal)
    elif not consultation.is_open:
        raise ValidationError(_("This consultation is closed or not yours to answer."))
    if not consulted.strip() or not outcome.strip():
        raise ValidationError(_("Record who was consulted and the outcome."))
    if consulted_on > consultation.network.today():
        raise ValidationError({"consulted_on": _("A consultation cannot be recorded in the future.")})
    save_changes(
        consultation,
        by=by,
        network_id=consultation.network_id,
        fields={
            "status": Consultation.Status.DONE,
            "consulted_on": consulted_on,
            "consulted": consulted.strip(),
            "outcome": outcome.strip(),
            "recorded_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    return consultation


# Focal points of consulted organisations --------------------------------------------------------


@transaction.atomic
def designate_focal_point(
    *, by, network: Network, organisation: Organisation, email: str, full_name: str = ""
) -> FocalPoint:
    """Give a person of an organisation the charter says to consult (Kazakhstan: the Ministry of
    Labour) an account whose only right is to answer the consultations put to it."""
    if not network.rules.filter(kind=Rule.Kind.CONSULTATION, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("The charter names no consultation of %(org)s.") % {"org": organisation}}
        )
    person = network_services.get_or_create_person(email=email, full_name=full_name)
    if FocalPoint.objects.active().filter(network=network, organisation=organisation, person=person).exists():
        raise ValidationError(
            _("%(p)s is already a focal point of %(org)s.") % {"p": person, "org": organisation}
        )
    focal_point = FocalPoint.objects.create(
        network=network, organisation=organisation, person=person, designated_on=network.today()
    )
    record_change(actor=by, obj=focal_point, action=CREATE, network_id=network.pk)
    return focal_point


@transaction.atomic
def end_focal_point(*, by, focal_point: FocalPoint) -> FocalPoint:
    if focal_point.ended_on:
        raise ValidationError(_("This person is no longer a focal point."))
    save_changes(
        focal_point,
        by=by,
        network_id=focal_point.network_id,
        fields={"ended_on": focal_point.network.today()},
    )
    return focal_point


# Positions -------------------------------------------------------------------------------------


@transaction.atomic
def record_position(
    *,
    by,
    proposal: Proposal,
    organisation: Organisation,
    stance: str,
    reason: str = "",
    channel: str = Position.Channel.DIRECT,
) -> Position:
    """One position per member organisation of the deciding body; it may change until the
    proposal closes. The Secretariat records one given orally or by e-mail, marked as such."""
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()  # serialise with closing
    proposal.refresh_from_db(fields=["status"])
    _check_open(proposal)
    if organisation.pk not in {m.organisation_id for m in rules.deciding_members(proposal.body)}:
        raise ValidationError(
            _("%(org)s is not a member of %(body)s: only its members take positions.")
            % {"org": organisation, "body": proposal.body}
        )
    if stance not in Position.Stance.values:
        raise ValidationError({"stance": _("Agree, stand aside or object.")})
    if stance != Position.Stance.AGREE and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for standing aside or objecting.")})
    if channel == Position.Channel.MEETING:
        if proposal.meeting is None:
            raise ValidationError(
                {
                    "channel": _(
                        "This proposal is not before a meeting: record the position as given otherwise."
                    )
                }
            )
        if proposal.meeting.starts_at > timezone.now():
            raise ValidationError(
                {
                    "channel": _("%(m)s has not taken place yet: no position can have been given there.")
                    % {"m": proposal.meeting}
                }
            )
    fields = {"stance": stance, "reason": reason.strip(), "channel": channel, "recorded_by": by}
    position = Position.objects.filter(proposal=proposal, organisation=organisation).first()
    if position is None:
        position = Position.objects.create(proposal=proposal, organisation=organisation, **fields)
        record_change(actor=by, obj=position, action=CREATE, network_id=proposal.network_id)
    else:
        save_changes(position, by=by, network_id=proposal.network_id, fields=fields)
    return position


def tally(proposal: Proposal, members: list | None = None, positions: list | None = None) -> dict:
    """Who agrees, stands aside, objects and has not responded, seat by seat."""
    members = rules.deciding_members(proposal.body) if members is None else members
    if positions is None:
        positions = list(proposal.positions.select_related("organisation", "recorded_by"))
    # Only the seats of current members count: an organisation that has left the body no longer decides.
    seated = {m.organisation_id for m in members}
    by_org = {p.organisation_id: p for p in positions if p.organisation_id in seated}
    seats = [{"organisation": m.organisation, "position": by_org.get(m.organisation_id)} for m in members]
    count = {s: sum(1 for p in by_org.values() if p.stance == s) for s in Position.Stance.values}
    return {
        "seats": seats,
        "agree": count[Position.Stance.AGREE],
        "stand_aside": count[Position.Stance.STAND_ASIDE],
        "object": count[Position.Stance.OBJECT],
        "objections": [p for p in by_org.values() if p.stance == Position.Stance.OBJECT],
        "waiting": [s["organisation"] for s in seats if s["position"] is None],
        "members": len(seats),
    }


# Closing ---------------------------------------------------------------------------------------


def _close(proposal: Proposal, *, by, status: str, note: str = "", now=None) -> None:
    save_changes(
        proposal,
        by=by,
        network_id=proposal.network_id,
        fields={
            "status": status,
            "closed_at": now or timezone.now(),
            "closed_by": by if getattr(by, "is_authenticated", False) else None,
            "outcome_note": note[:500],
        },
    )


def _number(network: Network, year: int) -> tuple[int, str]:
    """The next number of the network's register for the year. The network row is locked so two
    adoptions at the same instant queue behind each other (PostgreSQL); SQLite writes one at a time."""
    Network.objects.select_for_update().filter(pk=network.pk).first()
    last = Decision.objects.filter(network=network, year=year).aggregate(m=Max("sequence"))["m"] or 0
    return last + 1, f"{rules.register_prefix(network)}/{year}/{last + 1:03d}"


def _adopt(proposal: Proposal, *, by, adopted_by: str, now=None) -> Decision:
    now = now or timezone.now()
    network = proposal.network
    year = network.today(now).year
    sequence, number = _number(network, year)
    decision = Decision.objects.create(
        network=network,
        body=proposal.body,
        proposal=proposal,
        number=number,
        year=year,
        sequence=sequence,
        title=proposal.title,
        text=proposal.text,
        topic=proposal.topic,
        adopted_at=now,
        adopted_by=adopted_by,
        # "Adopted at" a meeting only once it has begun (a silence procedure may end before it).
        meeting=proposal.meeting if proposal.meeting and proposal.meeting.starts_at <= now else None,
        amends=proposal.amends,
        supersedes=proposal.supersedes,
    )
    record_change(actor=by, obj=decision, action=CREATE, network_id=network.pk)
    _take_effect(proposal, decision, by=by)
    effects.adopted(proposal=proposal, decision=decision, by=by)
    _close(proposal, by=by, status=Status.ADOPTED, note=number, now=now)
    _notify_outcome(proposal)
    return decision


def _take_effect(proposal: Proposal, decision: Decision, *, by) -> None:
    """A charter decision changes the network when adopted, with the decision as its record (and
    its authority: the network services refuse these changes without the body's decision)."""
    payload, day = proposal.payload or {}, proposal.network.today(decision.adopted_at)
    if proposal.kind == Kind.ADMIT_MEMBER:
        network_services.decide_membership_application(
            by=by,
            membership=proposal.membership,
            approve=payload.get("approve", True),
            decided_on=day,
            note=decision.number,
            decision=decision,
        )
    elif proposal.kind == Kind.ESTABLISH_WORKING_GROUP:
        fields = {k: v for k, v in payload.items() if k in WORKING_GROUP_FIELDS}
        group = network_services.establish_working_group(
            by=by, network=proposal.network, established_on=day, decision=decision, **fields
        )
        proposal.working_group = group  # saved with the proposal's closing
    elif proposal.kind == Kind.CHANGE_WORKING_GROUP:
        network_services.update_working_group(
            by=by, body=proposal.working_group, decision=decision, **payload
        )
    elif proposal.kind == Kind.ABOLISH_WORKING_GROUP:
        network_services.abolish_working_group(
            by=by, body=proposal.working_group, abolished_on=day, decision=decision
        )
    elif proposal.kind == Kind.SELECT_CO_CHAIRS:
        organisations = list(Organisation.objects.filter(pk__in=payload.get("organisations", [])))
        start = datetime.date.fromisoformat(payload["start_date"]) if payload.get("start_date") else day
        end = datetime.date.fromisoformat(payload["end_date"]) if payload.get("end_date") else None
        network_services.set_co_chairs(
            by=by,
            body=proposal.working_group,
            organisations=organisations,
            start_date=start,
            end_date=end,
            decision=decision,
        )


# Decisions taken elsewhere ---------------------------------------------------------------------

# What the register calls a decision recorded from elsewhere, by kind.
RECORDED_TITLES = {
    Kind.ADMIT_MEMBER: gettext_lazy("Application of %(subject)s decided"),
    Kind.ESTABLISH_WORKING_GROUP: gettext_lazy("%(subject)s established"),
    Kind.CHANGE_WORKING_GROUP: gettext_lazy("%(subject)s changed"),
    Kind.ABOLISH_WORKING_GROUP: gettext_lazy("%(subject)s abolished"),
    Kind.SELECT_CO_CHAIRS: gettext_lazy("Co-chairs of %(subject)s selected"),
}


@transaction.atomic
def record_decision_taken_elsewhere(
    *,
    by,
    network: Network,
    kind: str,
    decided_on: datetime.date,
    reference: str,
    evidence: str = "",
    evidence_document=None,
    text: str = "",
    membership: Membership | None = None,
    working_group: Body | None = None,
    payload: dict | None = None,
) -> Decision:
    """Record a charter decision the body the charter names took elsewhere (at a meeting not kept
    here, by e-mail): its date, its reference and the evidence. It enters the register marked as
    recorded by the Secretariat, and takes effect as an adopted proposal would."""
    if kind not in RECORDED_TITLES:
        raise ValidationError({"kind": _("Only a charter decision (admission, working groups, co-chairs).")})
    body = rules.deciding_body_for(network, kind)
    if body is None:
        raise ValidationError(_("This network's charter names no body that decides this."))
    payload = dict(payload or {})
    if decided_on is None or decided_on > network.today():
        raise ValidationError({"decided_on": _("Give the date of the decision; it cannot be in the future.")})
    if not reference.strip():
        raise ValidationError({"reference": _("Give the decision's number or reference.")})
    if evidence_document is not None and evidence_document.network_id != network.pk:
        raise ValidationError({"evidence_document": _("No such document in this network.")})
    if not evidence.strip() and evidence_document is None:
        raise ValidationError(
            {"evidence": _("Say where the decision is written: a document, a note or a link.")}
        )
    _check_subject(
        network=network, kind=kind, membership=membership, working_group=working_group, payload=payload
    )
    if kind == Kind.ADMIT_MEMBER:
        approve = payload.setdefault("approve", True)
        subject = membership.organisation
        if membership.applied_on and decided_on < membership.applied_on:
            raise ValidationError({"decided_on": _("The decision cannot be before the application.")})
    else:
        subject = payload.get("name") if kind == Kind.ESTABLISH_WORKING_GROUP else working_group
    title = RECORDED_TITLES[kind] % {"subject": subject}
    if kind == Kind.ADMIT_MEMBER:
        title = (_("%(org)s admitted as a member") if approve else _("Application of %(org)s rejected")) % {
            "org": subject
        }
    proposal = Proposal(
        network=network,
        body=body,
        kind=kind,
        title=title[:300],
        text=text.strip() or title,
        membership=membership,
        working_group=working_group,
        payload=payload,
        status=Status.ADOPTED,
        proposed_by=by if getattr(by, "is_authenticated", False) else None,
    )
    proposal.full_clean()
    proposal.save()
    if evidence_document is not None:
        proposal.documents.add(evidence_document)
    record_change(actor=by, obj=proposal, action=CREATE, network_id=network.pk)
    now = timezone.now()
    when = (
        now
        if decided_on == network.today(now)
        else datetime.datetime.combine(decided_on, datetime.time(12), tzinfo=network.zone)
    )
    sequence, number = _number(network, decided_on.year)
    decision = Decision.objects.create(
        network=network,
        body=body,
        proposal=proposal,
        number=number,
        year=decided_on.year,
        sequence=sequence,
        title=proposal.title,
        text=proposal.text,
        adopted_at=when,
        adopted_by=Decision.AdoptedBy.RECORDED,
        reference=reference.strip(),
        evidence=evidence.strip(),
        evidence_document=evidence_document,
    )
    record_change(actor=by, obj=decision, action=CREATE, network_id=network.pk)
    _take_effect(proposal, decision, by=by)
    _close(proposal, by=by, status=Status.ADOPTED, note=decision.provenance, now=now)
    return decision


def _notify_outcome(proposal: Proposal) -> None:
    members = rules.deciding_members(proposal.body)
    decision = getattr(proposal, "decision", None) if proposal.status == Status.ADOPTED else None

    def compose() -> Content:
        status = Status(proposal.status).label
        outcome = f"{decision.number} — {status}" if decision else str(status)
        return Content(
            subject=_("%(outcome)s: %(title)s") % {"outcome": outcome, "title": proposal.title},
            text=_("%(title)s\n\nOutcome: %(outcome)s\n%(note)s\n\n%(url)s\n")
            % {
                "title": proposal.title,
                "outcome": outcome,
                "note": proposal.outcome_note if not decision else "",
                "url": proposal_url(proposal),
            },
        )

    queue_message(
        Message(
            topic="decision",
            network=proposal.network,
            recipients=representatives_of(proposal.body, [m.organisation_id for m in members]),
            compose=compose,
        )
    )


def blocking_reasons(
    proposal: Proposal, *, silence_ended: bool = False, tally_: dict | None = None, consultations=None
) -> list[str]:
    """Why the proposal cannot be adopted yet (no objection assumed): mandatory consultations
    missing, and members not yet consulted where the charter asks for all of them. A page passes
    the tally and consultations it already loaded."""
    reasons = []
    consultations = proposal.consultations.all() if consultations is None else consultations
    missing = [c.title for c in consultations if c.required and c.status == Consultation.Status.PENDING]
    if missing:
        reasons.append(_("A mandatory consultation is missing: %s.") % "; ".join(missing))
    waiting = (tally_ or tally(proposal))["waiting"]
    if waiting and not silence_ended:
        if proposal.procedure == Proposal.Procedure.WRITTEN:
            reasons.append(
                _("The silence procedure runs until its deadline; no position yet from: %s.")
                % ", ".join(map(str, waiting))
            )
        elif rules.consult_all_members(proposal.network):
            reasons.append(
                _("The charter asks that all members be consulted; no position yet from: %s.")
                % ", ".join(map(str, waiting))
            )
    return reasons


@transaction.atomic
def close_proposal(*, by, proposal: Proposal, now: datetime.datetime | None = None) -> Proposal:
    """Close: with no objection (and the consultations done) it is adopted by consensus; with a
    standing objection consensus is not reached, and the matter goes where the charter sends it
    (Kenya: tabled to the UNCT) or is not adopted."""
    now = now or timezone.now()
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    proposal.refresh_from_db(fields=["status"])
    _check_open(proposal)
    meeting = proposal.meeting
    if proposal.procedure == Proposal.Procedure.MEETING and meeting and meeting.starts_at > now:
        raise ValidationError(
            _("%(m)s has not taken place yet: the matter is closed at the meeting or after it.")
            % {"m": meeting}
        )
    counted = tally(proposal)
    objections = counted["objections"]
    silence_ended = proposal.procedure == Proposal.Procedure.WRITTEN and proposal.deadline <= now
    if objections:
        names = ", ".join(str(p.organisation) for p in objections)
        target = proposal.body.escalates_to
        if target is not None:
            escalation = Escalation.objects.create(
                proposal=proposal, to_body=target, tabled_on=proposal.network.today(now)
            )
            record_change(actor=by, obj=escalation, action=CREATE, network_id=proposal.network_id)
            note = _("Consensus not reached (objection: %(orgs)s); tabled to %(to)s.") % {
                "orgs": names,
                "to": target,
            }
            _close(proposal, by=by, status=Status.ESCALATED, note=note, now=now)
        else:
            note = _("Consensus not reached (objection: %(orgs)s).") % {"orgs": names}
            _close(proposal, by=by, status=Status.NOT_ADOPTED, note=note, now=now)
        _notify_outcome(proposal)
        return proposal
    if reasons := blocking_reasons(proposal, silence_ended=silence_ended, tally_=counted):
        raise ValidationError(" ".join(reasons))
    adopted_by = Decision.AdoptedBy.SILENCE if silence_ended else Decision.AdoptedBy.CONSENSUS
    _adopt(proposal, by=by, adopted_by=adopted_by, now=now)
    return proposal


@transaction.atomic
def withdraw_proposal(*, by, proposal: Proposal, reason: str) -> Proposal:
    return _set_aside(proposal, by=by, status=Status.WITHDRAWN, reason=reason)


@transaction.atomic
def defer_proposal(*, by, proposal: Proposal, reason: str) -> Proposal:
    return _set_aside(proposal, by=by, status=Status.DEFERRED, reason=reason)


def _set_aside(proposal: Proposal, *, by, status: str, reason: str) -> Proposal:
    _check_open(proposal)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    _close(proposal, by=by, status=status, note=reason.strip())
    return proposal


@transaction.atomic
def reopen_proposal(
    *, by, proposal: Proposal, reason: str, deadline: datetime.datetime | None = None
) -> Proposal:
    """The only way a closed proposal changes: explicitly, by the Secretariat, in the audit log.
    An adopted decision is never reopened; a later decision amends or supersedes it."""
    if proposal.status == Status.OPEN:
        raise ValidationError(_("This proposal is open already."))
    if proposal.status == Status.ADOPTED:
        raise ValidationError(
            _("An adopted decision is not reopened: propose one that amends or supersedes it.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    if proposal.procedure == Proposal.Procedure.WRITTEN and (deadline is None or deadline <= timezone.now()):
        raise ValidationError(
            {"deadline": _("A reopened written procedure needs a new deadline in the future.")}
        )
    escalations = proposal.escalations.all()
    if any(e.outcome in (Escalation.Outcome.ADOPTED, Escalation.Outcome.NOT_ADOPTED) for e in escalations):
        raise ValidationError(_("The UNCT has decided this matter."))
    for escalation in escalations:
        if escalation.outcome == Escalation.Outcome.PENDING:
            save_changes(
                escalation,
                by=by,
                network_id=proposal.network_id,
                fields={"outcome": Escalation.Outcome.RETURNED},
            )
    fields = {
        "status": Status.OPEN,
        "closed_at": None,
        "closed_by": None,
        "outcome_note": _("Reopened: %s") % reason.strip(),
    }
    if deadline is not None:
        fields["deadline"] = deadline
    save_changes(proposal, by=by, network_id=proposal.network_id, fields=fields)
    return proposal


def close_due_written_procedures(now: datetime.datetime | None = None) -> int:
    """Close every silence procedure whose deadline has passed. One that cannot be adopted yet
    (a mandatory consultation missing) stays open, and the Secretariat is told once."""
    now = now or timezone.now()
    closed = 0
    due = Proposal.objects.filter(
        status=Status.OPEN, procedure=Proposal.Procedure.WRITTEN, deadline__lte=now
    ).select_related("network", "body", "body__escalates_to")
    for proposal in due:
        try:
            close_proposal(by=None, proposal=proposal, now=now)
            closed += 1
        except ValidationError as exc:
            if proposal.status == Status.OPEN:  # not closed meanwhile by a person or another run
                _tell_secretariat_once(proposal, " ".join(exc.messages))
    return closed


def _tell_secretariat_once(proposal: Proposal, problem: str) -> None:
    """`problem` is the refusal as the worker worded it; each reader gets the reasons in theirs."""
    if once(f"proposal-stuck:{proposal.pk}:{proposal.deadline.isoformat()}"):

        def compose() -> Content:
            reasons = " ".join(map(str, blocking_reasons(proposal, silence_ended=True))) or problem
            return Content(
                subject=_("Silence procedure not closed: %(t)s") % {"t": proposal.title},
                text=_("The deadline of “%(t)s” has passed but it cannot be adopted:\n%(p)s\n\n%(url)s\n")
                % {"t": proposal.title, "p": reasons, "url": proposal_url(proposal)},
            )

        queue_email(
            to=secretariat_emails(proposal.network),
            topic="reminder",
            network=proposal.network,
            reason=Phrase(SECRETARIAT_REASON, network=proposal.network),
            compose=compose,
        )


# Escalations -----------------------------------------------------------------------------------


@transaction.atomic
def update_escalation(*, by, escalation: Escalation, **fields) -> Escalation:
    """Record where the matter was tabled: the date and the UNCT meeting."""
    check_changeable(fields, {"tabled_on", "unct_meeting", "unct_meeting_note"})
    if escalation.outcome != Escalation.Outcome.PENDING:
        raise ValidationError(_("The UNCT has decided this matter already."))
    meeting = fields.get("unct_meeting")
    if meeting is not None and meeting.network_id != escalation.proposal.network_id:
        raise ValidationError({"unct_meeting": _("No such meeting in this network.")})
    save_changes(escalation, by=by, network_id=escalation.proposal.network_id, fields=fields)
    return escalation


@transaction.atomic
def record_unct_decision(
    *,
    by,
    escalation: Escalation,
    adopted: bool,
    decided_on: datetime.date,
    unct_decision: str,
    unct_meeting: Meeting | None = None,
    unct_meeting_note: str = "",
) -> Escalation:
    """The UNCT's decision closes the matter: adopted (numbered in the register) or not."""
    proposal = escalation.proposal
    if escalation.outcome != Escalation.Outcome.PENDING or proposal.status != Status.ESCALATED:
        raise ValidationError(_("The UNCT has decided this matter already."))
    if not unct_decision.strip():
        raise ValidationError({"unct_decision": _("Record what the UNCT decided.")})
    if decided_on < escalation.tabled_on:
        raise ValidationError({"decided_on": _("The UNCT cannot decide before the matter was tabled.")})
    if decided_on > proposal.network.today():
        raise ValidationError({"decided_on": _("The decision date cannot be in the future.")})
    if unct_meeting is not None and unct_meeting.network_id != proposal.network_id:
        raise ValidationError({"unct_meeting": _("No such meeting in this network.")})
    fields = {
        "outcome": Escalation.Outcome.ADOPTED if adopted else Escalation.Outcome.NOT_ADOPTED,
        "decided_on": decided_on,
        "unct_decision": unct_decision.strip(),
    }
    if unct_meeting is not None:
        fields["unct_meeting"] = unct_meeting
    if unct_meeting_note:
        fields["unct_meeting_note"] = unct_meeting_note.strip()
    save_changes(escalation, by=by, network_id=proposal.network_id, fields=fields)
    if adopted:
        when = timezone.now()
        if decided_on != proposal.network.today():
            when = datetime.datetime.combine(decided_on, datetime.time(12), tzinfo=proposal.network.zone)
        _adopt(proposal, by=by, adopted_by=Decision.AdoptedBy.UNCT, now=when)
    else:
        _close(
            proposal, by=by, status=Status.NOT_ADOPTED, note=_("Not adopted by the UNCT: %s") % unct_decision
        )
        _notify_outcome(proposal)
    return escalation


# Action items ----------------------------------------------------------------------------------


def _check_owner(network: Network, organisation: Organisation, owner) -> None:
    today = network.today()
    in_network = (
        Membership.objects.current(on=today).filter(body__network=network, organisation=organisation).exists()
    )
    if not in_network:
        raise ValidationError(
            {"owner_organisation": _("%(org)s has no seat in this network.") % {"org": organisation}}
        )
    if owner is not None:
        represents = (
            Representative.objects.current(on=today)
            .filter(person=owner, membership__body__network=network, membership__organisation=organisation)
            .exists()
        )
        if not represents:
            raise ValidationError(
                {"owner": _("%(p)s does not represent %(org)s here.") % {"p": owner, "org": organisation}}
            )


@transaction.atomic
def create_action_item(
    *,
    by,
    network: Network,
    title: str,
    owner_organisation: Organisation,
    due_date: datetime.date,
    owner=None,
    description: str = "",
    decision: Decision | None = None,
    minutes_item: MinutesItem | None = None,
) -> ActionItem:
    """Follow-up of a decision or of a meeting's minutes, owned by a member organisation."""
    if decision is not None and decision.network_id != network.pk:
        raise ValidationError({"decision": _("No such decision in this network.")})
    meeting = None
    if minutes_item is not None:
        meeting = minutes_item.minutes.meeting
        if meeting.network_id != network.pk:
            raise ValidationError({"minutes_item": _("No such minutes in this network.")})
    if not title.strip():
        raise ValidationError({"title": _("Say what is to be done.")})
    _check_owner(network, owner_organisation, owner)
    action = ActionItem(
        network=network,
        decision=decision,
        minutes_item=minutes_item,
        meeting=meeting or (decision.meeting if decision else None),
        title=title.strip(),
        description=description.strip(),
        owner_organisation=owner_organisation,
        owner=owner,
        due_date=due_date,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    action.full_clean()
    action.save()
    record_change(actor=by, obj=action, action=CREATE, network_id=network.pk)
    if owner is not None:
        queue_email(
            to=[owner.email],
            topic="action",
            network=network,
            reason=Phrase(ACTION_OWNER_REASON),
            compose=lambda: Content(
                subject=_("Action for you: %(t)s") % {"t": action.title},
                text=_("%(t)s\nDue: %(due)s\n\n%(d)s\n\n%(url)s\n")
                % {
                    "t": action.title,
                    "due": show_date(action.due_date),
                    "d": action.description,
                    "url": action_url(action),
                },
            ),
        )
    return action


@transaction.atomic
def update_action_item(*, by, action: ActionItem, **fields) -> ActionItem:
    """Change what, who or when (the Secretariat); progress goes through `report_progress`."""
    check_changeable(fields, {"title", "description", "owner_organisation", "owner", "due_date"})
    _check_owner(
        action.network,
        fields.get("owner_organisation", action.owner_organisation),
        fields.get("owner", action.owner),
    )
    save_changes(action, by=by, network_id=action.network_id, fields=fields)
    return action


@transaction.atomic
def report_progress(*, by, action: ActionItem, text: str, status: str = "", today=None) -> ActionUpdate:
    """A progress update, optionally moving the status (done records the day it was completed)."""
    if not text.strip():
        raise ValidationError({"text": _("Say what progressed.")})
    if status and status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    update = ActionUpdate.objects.create(action=action, author=by, text=text.strip(), status=status or "")
    if status and status != action.status:
        today = today or action.network.today()
        save_changes(
            action,
            by=by,
            network_id=action.network_id,
            fields={"status": status, "completed_on": today if status == ActionItem.Status.DONE else None},
        )
    record_change(actor=by, obj=update, action=CREATE, network_id=action.network_id)
    return update


@transaction.atomic
def comment_on_action(*, by, action: ActionItem, text: str) -> ActionUpdate:
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    comment = ActionUpdate.objects.create(action=action, author=by, text=text.strip(), is_comment=True)
    record_change(actor=by, obj=comment, action=CREATE, network_id=action.network_id)
    return comment
