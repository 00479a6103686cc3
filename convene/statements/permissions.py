"""Who sees and acts on statements. A statement is internal to the network until it is issued and
released: members read it (a working group's participants read their group's); the Secretariat,
the co-chairs and a working group's co-chairs draft; each agency seat of the clearing body
answers; those the charter names sign off."""

from django.http import Http404
from django.utils.translation import gettext as _

from convene.networks.models import Body, Membership, Network
from convene.networks.permissions import access_for

from . import rules
from .models import Release, Round, Statement


def can_view_statements(user, network: Network) -> bool:
    return access_for(user, network).is_member


def can_view_statement(user, statement: Statement) -> bool:
    access = access_for(user, statement.network)
    return access.is_member or statement.body_id in access.body_ids


def drafting_bodies(user, network: Network) -> list[Body]:
    """The bodies in whose name this user may draft: the network (Secretariat, co-chairs) and the
    working groups they co-chair."""
    access = access_for(user, network)
    bodies = []
    drafts_for_network = access.is_secretariat or any(
        kind == Body.Kind.CO_CHAIRS for _b, kind, _r in access.seats
    )
    if drafts_for_network and (plenary := rules.plenary(network)):
        bodies.append(plenary)
    chaired = {
        body
        for body, kind, role in access.seats
        if kind == Body.Kind.WORKING_GROUP and role == Membership.Role.CO_CHAIR
    }
    groups = network.bodies.filter(kind=Body.Kind.WORKING_GROUP)
    if not access.is_secretariat:
        groups = groups.filter(pk__in=chaired)
    return bodies + list(groups.order_by("name"))


def can_draft(user, network: Network) -> bool:
    return bool(drafting_bodies(user, network))


def can_manage_statement(user, statement: Statement) -> bool:
    """Revise, put to clearance, close early, choose to speak for the undersigned, withdraw: the
    Secretariat, the drafter, and those who may draft in the statement's name."""
    if statement.is_locked:
        return False
    access = access_for(user, statement.network)
    if access.is_secretariat or (user.is_authenticated and statement.drafted_by_id == user.pk):
        return True
    return statement.body_id in {b.pk for b in drafting_bodies(user, statement.network)}


def can_record_on_behalf(user, network: Network) -> bool:
    """An answer given by e-mail or phone is recorded by the Secretariat, marked so."""
    return access_for(user, network).is_secretariat


def answering_for(user, round: Round) -> list:
    """The organisations whose seat in the round this user holds (principal or alternate)."""
    access = access_for(user, round.subject.network)
    mine = {org for body, org in access.organisations if body == round.body_id}
    return [c.organisation for c in round.clearances.all() if c.organisation_id in mine]


def can_answer(user, round: Round) -> bool:
    return round.is_open and bool(answering_for(user, round))


def signing_for(user, statement: Statement) -> list:
    """The organisations among those that sign off that this user represents in that very role (a
    co-chair, the Coordinator, a working group's co-chair): IOM's Secretariat staff do not sign off
    for IOM as Coordinator."""
    access = access_for(user, statement.network)
    roles = {(body, role) for body, _kind, role in access.seats}
    return [
        m.organisation
        for m in rules.signing_seats(statement)
        if (m.body_id, m.organisation_id) in access.organisations and (m.body_id, m.role) in roles
    ]


def can_sign_off(user, statement: Statement) -> bool:
    return statement.status == Statement.Status.CLEARED and bool(signing_for(user, statement))


def can_record_delivery(user, statement: Statement) -> bool:
    access = access_for(user, statement.network)
    return statement.status == Statement.Status.ISSUED and (
        access.is_secretariat or bool(signing_for(user, statement))
    )


def get_statement_for_user(user, network: Network, statement_id: int) -> Statement:
    statement = (
        Statement.objects.filter(network=network, pk=statement_id)
        .select_related("body", "drafted_by", "decision")
        .first()
    )
    if statement is not None:
        statement.network = statement.body.network = network  # loaded once, for every check below
    if statement is None or not can_view_statement(user, statement):
        raise Http404(_("No such statement in this network."))
    return statement


# Releases --------------------------------------------------------------------------------------


def can_view_releases(user, network: Network) -> bool:
    return access_for(user, network).is_member


def can_manage_releases(user, network: Network) -> bool:
    """Propose a record for release, put it to its owners, record the decision, withdraw it."""
    return access_for(user, network).is_secretariat


def get_release_for_user(user, network: Network, release_id: int) -> Release:
    release = Release.objects.filter(network=network, pk=release_id).select_related("decision").first()
    if release is None or not can_view_releases(user, network):
        raise Http404(_("No such release in this network."))
    release.network = network
    return release
