"""Every write to a network's structure goes through these functions (pages, API, commands alike).

Each is one transaction, checks the domain rules (raising ValidationError), and records the change.
Who may call them is decided by the caller with `permissions.py`.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from convene.accounts.services import send_welcome
from convene.core.audit import check_changeable, record_change, save_changes
from convene.core.dates import add_months, show_date
from convene.core.documents import download_name
from convene.core.mail import Content, Message, Recipient, queue_message
from convene.core.models import ChangeLog

from . import exports
from .models import Body, Membership, Network, Organisation, Representative, Rule
from .queries import load_structure, seat_reason

User = get_user_model()
CREATE, UPDATE, DELETE = ChangeLog.Action.CREATE, ChangeLog.Action.UPDATE, ChangeLog.Action.DELETE


def _check_dates(start, end, *, field: str = "end_date") -> None:
    if start and end and end < start:
        raise ValidationError({field: _("The end date cannot be before the start date.")})


# Powers the charter gives to a body ------------------------------------------------------------


def secretariat_of(network: Network) -> Body | None:
    return network.bodies.filter(kind=Body.Kind.SECRETARIAT).order_by("order", "pk").first()


def authorise(*, network: Network, power: str, decision=None, membership=None, working_group=None):
    """Who decides this change: the body the charter names for the power, which must have
    decided it (`decision`: an adopted decision of that body in this network, on this subject,
    whether put to it here or recorded from elsewhere); or, where the charter names no body or
    names the Secretariat, the Secretariat itself. Returns the body that decided."""
    if network.decides_for_itself(power):
        if decision is not None:
            _check_decision(decision, network=network, power=power, body=decision.body)
            return decision.body
        return secretariat_of(network)
    authority = network.authority_for(power)
    if decision is None:
        raise ValidationError(
            _(
                "The charter gives this decision to %(body)s: put it to %(body)s as a proposal, "
                "or record the decision %(body)s took elsewhere."
            )
            % {"body": authority.tr.name}
        )
    _check_decision(
        decision,
        network=network,
        power=power,
        body=authority,
        membership=membership,
        working_group=working_group,
    )
    return authority


def _check_decision(decision, *, network, power, body, membership=None, working_group=None) -> None:
    proposal = decision.proposal
    if decision.network_id != network.pk or decision.body_id != body.pk or proposal.kind != power:
        raise ValidationError(
            _("That is not a decision of %(body)s on this matter.") % {"body": body.tr.name}
        )
    if membership is not None and proposal.membership_id != membership.pk:
        raise ValidationError(_("That decision is about another application."))
    if working_group is not None and proposal.working_group_id not in (None, working_group.pk):
        raise ValidationError(_("That decision is about another working group."))


# Organisations (shared registry) -------------------------------------------------------------


def find_duplicate_organisation(*, acronym: str, name: str, country: str, exclude_pk=None):
    qs = Organisation.objects.filter(
        Q(acronym__iexact=acronym.strip()) | Q(name__iexact=name.strip()), country=country or ""
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


@transaction.atomic
def create_organisation(
    *,
    by,
    acronym: str,
    name: str,
    kind: str,
    country: str = "",
    un_category: str = "",
    website: str = "",
    aliases: list | None = None,
    network: Network | None = None,
) -> Organisation:
    """Add an organisation to the shared registry; the same acronym or name twice is refused."""
    acronym, name, country = acronym.strip(), name.strip(), (country or "").strip().upper()
    duplicate = find_duplicate_organisation(acronym=acronym, name=name, country=country)
    if duplicate:
        raise ValidationError(
            _("%(org)s (%(name)s) is already in the registry.") % {"org": duplicate, "name": duplicate.name}
        )
    org = Organisation(
        acronym=acronym,
        name=name,
        kind=kind,
        country=country,
        un_category=un_category,
        website=website,
        aliases=aliases or [],
    )
    org.full_clean()
    org.save()
    record_change(actor=by, obj=org, action=CREATE, network_id=network.pk if network else None)
    return org


# Memberships ---------------------------------------------------------------------------------


def plenary_of(network: Network) -> Body:
    body = network.bodies.filter(kind=Body.Kind.PLENARY).first()
    if body is None:
        raise ValidationError(_("This network has no plenary body in its charter."))
    return body


def _open_membership(body: Body, organisation: Organisation, role: str):
    return Membership.objects.filter(
        body=body, organisation=organisation, role=role, status__in=["applied", "active"]
    ).first()


def _check_can_join(body: Body, organisation: Organisation, role: str) -> None:
    if not body.is_active:
        raise ValidationError(_("%(body)s has been abolished.") % {"body": body})
    if _open_membership(body, organisation, role):
        raise ValidationError(
            _("%(org)s already holds the role “%(role)s” in %(body)s.")
            % {"org": organisation, "role": Membership.Role(role).label, "body": body}
        )
    if role == Membership.Role.EXTERNAL_PARTNER and not body.external_partners_allowed:
        raise ValidationError(_("%(body)s does not take external partners.") % {"body": body})
    if body.kind != Body.Kind.PLENARY and role != Membership.Role.EXTERNAL_PARTNER:
        plenary = body.network.bodies.filter(kind=Body.Kind.PLENARY).first()
        is_member = (
            plenary and plenary.memberships.filter(organisation=organisation, status="active").exists()
        )
        if plenary and body.kind != Body.Kind.UNCT and not is_member:
            raise ValidationError(
                _("%(org)s is not a member of the network; add it as an external partner or admit it first.")
                % {"org": organisation}
            )


@transaction.atomic
def add_membership(
    *,
    by,
    body: Body,
    organisation: Organisation,
    role: str = Membership.Role.MEMBER,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    note: str = "",
) -> Membership:
    """Give an organisation an active role in a body. Admitting a member to the network and
    choosing a working group's co-chairs are powers of their own (`decide_membership_application`,
    `set_co_chairs`), not done here."""
    admits = body.kind == Body.Kind.PLENARY and role == Membership.Role.MEMBER
    if admits and not body.network.decides_for_itself("admit_member"):
        raise ValidationError(
            _("%(body)s admits new members: record the application and put it to %(body)s.")
            % {"body": body.network.authority_for("admit_member").name}
        )
    if body.kind == Body.Kind.WORKING_GROUP and role == Membership.Role.CO_CHAIR:
        raise ValidationError({"role": _("A working group's co-chairs are selected on their own page.")})
    return _add_membership(
        by=by,
        body=body,
        organisation=organisation,
        role=role,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )


def _add_membership(*, by, body, organisation, role, start_date=None, end_date=None, note="") -> Membership:
    _check_dates(start_date, end_date)
    _check_can_join(body, organisation, role)
    membership = Membership.objects.create(
        body=body,
        organisation=organisation,
        role=role,
        status=Membership.Status.ACTIVE,
        start_date=start_date or body.network.today(),
        end_date=end_date,
        note=note,
    )
    record_change(actor=by, obj=membership, action=CREATE, network_id=body.network_id)
    return membership


@transaction.atomic
def update_membership(*, by, membership: Membership, **fields) -> Membership:
    allowed = {"start_date", "end_date", "note"}
    check_changeable(fields, allowed)
    _check_dates(fields.get("start_date", membership.start_date), fields.get("end_date", membership.end_date))
    save_changes(membership, by=by, network_id=membership.body.network_id, fields=fields)
    return membership


@transaction.atomic
def end_membership(*, by, membership: Membership, end_date: datetime.date | None = None) -> Membership:
    """End a role; its representatives stop with it. History is kept."""
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError(_("Only an active membership can be ended."))
    end_date = end_date or membership.body.network.today()
    _check_dates(membership.start_date, end_date)
    save_changes(
        membership,
        by=by,
        network_id=membership.body.network_id,
        fields={"status": Membership.Status.ENDED, "end_date": end_date},
    )
    membership.representatives.filter(Q(end_date__isnull=True) | Q(end_date__gt=end_date)).update(
        end_date=end_date
    )
    return membership


def membership_approval_body(network: Network) -> Body | None:
    """The body the charter names to approve new members (Kenya: the Executive Committee)."""
    return network.authority_for("admit_member")


@transaction.atomic
def apply_for_membership(
    *, by, network: Network, organisation: Organisation, applied_on=None, note: str = ""
) -> Membership:
    """Record an organisation's application to join the network (its plenary)."""
    body = plenary_of(network)
    if _open_membership(body, organisation, Membership.Role.MEMBER):
        raise ValidationError(_("%(org)s is already a member or has applied.") % {"org": organisation})
    membership = Membership.objects.create(
        body=body,
        organisation=organisation,
        role=Membership.Role.MEMBER,
        status=Membership.Status.APPLIED,
        applied_on=applied_on or network.today(),
        note=note,
    )
    record_change(actor=by, obj=membership, action=CREATE, network_id=network.pk)
    return membership


@transaction.atomic
def decide_membership_application(
    *, by, membership: Membership, approve: bool, decided_on=None, note: str = "", decision=None
) -> Membership:
    """Approve or reject an application. Where the charter names the body that approves new
    members, only with that body's `decision`; the record names who decided."""
    if membership.status != Membership.Status.APPLIED:
        raise ValidationError(_("This application has already been decided."))
    network = membership.body.network
    decided_by = authorise(network=network, power="admit_member", decision=decision, membership=membership)
    decided_on = decided_on or network.today()
    if decided_on > network.today():
        raise ValidationError({"decided_on": _("The decision date cannot be in the future.")})
    if membership.applied_on and decided_on < membership.applied_on:
        raise ValidationError({"decided_on": _("The decision cannot be before the application.")})
    fields = {
        "status": Membership.Status.ACTIVE if approve else Membership.Status.REJECTED,
        "decided_on": decided_on,
        "decided_by": decided_by,
        "decision_note": note,
    }
    if approve:
        fields["start_date"] = decided_on
    save_changes(membership, by=by, network_id=network.pk, fields=fields)
    return membership


# Representatives -----------------------------------------------------------------------------


def get_or_create_person(*, email: str, full_name: str, job_title: str = "", phone: str = "") -> User:
    email = email.strip().lower()
    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        if not full_name.strip():
            raise ValidationError({"full_name": _("Give the person's name.")})
        person = User.objects.create_user(
            email=email, full_name=full_name.strip(), job_title=job_title, phone=phone
        )
    return person


@transaction.atomic
def designate_representative(
    *,
    by,
    membership: Membership,
    email: str,
    full_name: str = "",
    job_title: str = "",
    phone: str = "",
    kind: str = Representative.Kind.PRINCIPAL,
    participation_level: str = "",
    start_date=None,
    end_date=None,
) -> Representative:
    """Designate a person to represent a member organisation in a body."""
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError(
            _("%(org)s is not an active member of %(body)s; only members designate representatives.")
            % {"org": membership.organisation, "body": membership.body}
        )
    _check_dates(start_date, end_date)
    person = get_or_create_person(email=email, full_name=full_name, job_title=job_title, phone=phone)
    if membership.representatives.filter(person=person).exists():
        raise ValidationError(
            _("%(person)s already represents %(org)s here.")
            % {"person": person, "org": membership.organisation}
        )
    rep = Representative.objects.create(
        membership=membership,
        person=person,
        kind=kind,
        participation_level=participation_level or membership.body.participation_level,
        start_date=start_date or membership.body.network.today(),
        end_date=end_date,
    )
    record_change(actor=by, obj=rep, action=CREATE, network_id=membership.body.network_id)
    send_welcome(representative=rep)
    return rep


@transaction.atomic
def update_representative(*, by, representative: Representative, **fields) -> Representative:
    allowed = {"kind", "participation_level", "start_date", "end_date"}
    check_changeable(fields, allowed)
    _check_dates(
        fields.get("start_date", representative.start_date), fields.get("end_date", representative.end_date)
    )
    save_changes(representative, by=by, network_id=representative.membership.body.network_id, fields=fields)
    return representative


@transaction.atomic
def remove_representative(*, by, representative: Representative) -> None:
    record_change(
        actor=by,
        obj=representative,
        action=DELETE,
        network_id=representative.membership.body.network_id,
        changes={"person": [representative.person.email, None]},
    )
    representative.delete()


# Working groups ------------------------------------------------------------------------------


def _unique_body_slug(network: Network, name: str) -> str:
    base = slugify(name)[:45] or "working-group"
    slug, n = base, 2
    while network.bodies.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def establish_working_group(
    *,
    by,
    network: Network,
    name: str,
    focus: str = "",
    permanence: str = Body.Permanence.PERMANENT,
    external_partners_allowed: bool = True,
    co_chair_term_months: int | None = None,
    participation_level: str = "",
    established_on=None,
    decision=None,
) -> Body:
    """Establish a working group (Kenya: a TWG; Kazakhstan: a permanent or ad hoc WG), with the
    `decision` of the body the charter names where it names one."""
    authorise(network=network, power="establish_working_group", decision=decision)
    name = name.strip()
    if network.bodies.annotate(lname=Lower("name")).filter(lname=name.lower()).exists():
        raise ValidationError({"name": _("This network already has a body with that name.")})
    if co_chair_term_months is None:
        template = network.rules.filter(kind=Rule.Kind.CO_CHAIR_ROTATION).first()
        co_chair_term_months = (template.params or {}).get("term_months") if template else None
    if not participation_level:  # the level the charter's working-group rule names (Kenya's TWGs)
        rule = network.rules.filter(kind=Rule.Kind.WORKING_GROUPS).first()
        participation_level = (rule.params or {}).get("participation_level", "") if rule else ""
    last = network.bodies.order_by("-order").values_list("order", flat=True).first() or 0
    body = Body(
        network=network,
        slug=_unique_body_slug(network, name),
        name=name,
        kind=Body.Kind.WORKING_GROUP,
        permanence=permanence,
        focus=focus,
        external_partners_allowed=external_partners_allowed,
        co_chair_term_months=co_chair_term_months,
        participation_level=participation_level,
        established_on=established_on or network.today(),
        order=last + 1,
    )
    body.full_clean()
    body.save()
    record_change(actor=by, obj=body, action=CREATE, network_id=network.pk)
    return body


# What a change of a working group may touch (the page's form, a decision's payload, this service).
WORKING_GROUP_FIELDS = (
    "name",
    "focus",
    "permanence",
    "external_partners_allowed",
    "co_chair_term_months",
    "participation_level",
)


@transaction.atomic
def update_working_group(*, by, body: Body, decision=None, **fields) -> Body:
    """Change a working group's name, focus or make-up, with the `decision` of the body the
    charter names where it names one."""
    allowed = set(WORKING_GROUP_FIELDS)
    if body.kind != Body.Kind.WORKING_GROUP:
        raise ValidationError(_("Only working groups are changed here."))
    check_changeable(fields, allowed)
    if any(getattr(body, k) != v for k, v in fields.items()):
        authorise(network=body.network, power="change_working_group", decision=decision, working_group=body)
    changed = [k for k in Body.TRANSLATED_FIELDS if k in fields and getattr(body, k) != fields[k]]
    if changed and any(k in (body.translations or {}) for k in changed):
        # The other languages said the old thing: the new text now shows in every language.
        fields["translations"] = {k: v for k, v in body.translations.items() if k not in changed}
    save_changes(body, by=by, network_id=body.network_id, fields=fields)
    return body


@transaction.atomic
def abolish_working_group(*, by, body: Body, abolished_on=None, decision=None) -> Body:
    """Abolish a working group; its memberships end on the same day. With the `decision` of the
    body the charter names where it names one."""
    if body.kind != Body.Kind.WORKING_GROUP:
        raise ValidationError(_("Only working groups can be abolished."))
    authorise(network=body.network, power="abolish_working_group", decision=decision, working_group=body)
    if body.abolished_on:
        raise ValidationError(_("This working group has already been abolished."))
    abolished_on = abolished_on or body.network.today()
    _check_dates(body.established_on, abolished_on, field="abolished_on")
    for membership in body.memberships.filter(status=Membership.Status.ACTIVE):
        end_membership(by=by, membership=membership, end_date=abolished_on)
    save_changes(body, by=by, network_id=body.network_id, fields={"abolished_on": abolished_on})
    return body


@transaction.atomic
def set_co_chairs(
    *, by, body: Body, organisations: list[Organisation], start_date=None, end_date=None, decision=None
) -> list[Membership]:
    """Select a working group's co-chairs for a term; the previous co-chairs' term ends. With the
    `decision` of the body the charter names where it names one."""
    if body.kind != Body.Kind.WORKING_GROUP:
        raise ValidationError(_("Co-chairs are set here for working groups only."))
    authorise(network=body.network, power="select_co_chairs", decision=decision, working_group=body)
    if not 1 <= len(organisations) <= 3:
        raise ValidationError(_("Choose one to three co-chair organisations."))
    start_date = start_date or body.network.today()
    if end_date is None and body.co_chair_term_months:
        end_date = add_months(start_date, body.co_chair_term_months) - datetime.timedelta(days=1)
    _check_dates(start_date, end_date)
    members = set(
        body.memberships.current(on=body.network.today())
        .exclude(role=Membership.Role.CO_CHAIR)
        .values_list("organisation_id", flat=True)
    )
    if outsiders := [o for o in organisations if o.pk not in members]:
        raise ValidationError(
            _("Co-chairs must be members of the working group: %s") % ", ".join(map(str, outsiders))
        )
    for current in body.memberships.filter(status=Membership.Status.ACTIVE, role=Membership.Role.CO_CHAIR):
        last_day = max(start_date - datetime.timedelta(days=1), current.start_date or start_date)
        # A term that already ran out keeps its own end date.
        end_membership(by=by, membership=current, end_date=min(last_day, current.end_date or last_day))
    return [
        _add_membership(
            by=by,
            body=body,
            organisation=o,
            role=Membership.Role.CO_CHAIR,
            start_date=start_date,
            end_date=end_date,
        )
        for o in organisations
    ]


# Members list ----------------------------------------------------------------------------------


def members_list_recipients(structure) -> list[Recipient]:
    """Representatives of member organisations; external partners of working groups are not sent
    the network's list (it is internal to the network)."""
    return [
        Recipient(
            r.person.email,
            r.person.full_name,
            m.organisation.acronym,
            seat_reason(kind=r.kind, organisation=m.organisation, body=body),
        )
        for body in structure.bodies
        for m in body.current_memberships
        if m.role != Membership.Role.EXTERNAL_PARTNER
        for r in m.representatives.all()
        if r.person.is_active
    ]


def members_list_message(network: Network, structure=None) -> Message:
    """The members list e-mail as it is sent (the Excel list attached), to whom."""
    structure = structure or load_structure(network)

    def compose() -> Content:
        return Content(
            subject=_("Members list, %(date)s") % {"date": show_date(network.today())},
            text=_(
                "Dear colleagues,\n\nAttached is the current members list of %(network)s: bodies, member "
                "organisations, roles and representatives.\nPlease tell the Secretariat of any change.\n\n"
                "This list is for internal use of the network.\n"
            )
            % {"network": network},
        )

    name = download_name(network, "members", network.today(), "xlsx")
    message = Message(
        topic="members_list",
        network=network,
        recipients=members_list_recipients(structure),
        compose=compose,
        attachment_names=[name],
        attach=lambda: [(name, exports.members_xlsx(structure), exports.XLSX_TYPE)],
    )
    if not message.recipients:
        raise ValidationError(_("No representative is designated yet: there is nobody to send the list to."))
    return message


@transaction.atomic
def share_members_list(*, by, network: Network) -> int:
    """Send the current members list (Excel) to every representative and record that it was shared
    (Kazakhstan: the Secretariat shares it regularly). Returns how many people it goes to."""
    structure = load_structure(network)
    message = members_list_message(network, structure)
    queue_message(message)
    save_changes(network, by=by, network_id=network.pk, fields={"members_list_shared_at": timezone.now()})
    return len(message.recipients)
