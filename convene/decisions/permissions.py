"""Who sees and acts on proposals, decisions and action items. Decisions are internal to the
network: its members read them; the deciding body's members take positions; the Secretariat runs
the procedure and monitors the follow-up."""

from django.http import Http404
from django.utils.translation import gettext as _

from convene.networks.models import Network, Representative
from convene.networks.permissions import access_for

from .models import ActionItem, Consultation, FocalPoint, Proposal
from .rules import deciding_members


def can_view_decisions(user, network: Network) -> bool:
    return access_for(user, network).is_member


def can_propose(user, network: Network) -> bool:
    """The Secretariat (which collates issues for action) and members of a deciding body."""
    access = access_for(user, network)
    if access.is_secretariat:
        return True
    return any(b.decision_method for b in network.bodies.all() if b.pk in access.body_ids)


def can_run_procedure(user, network: Network) -> bool:
    """Close, escalate, withdraw, defer, reopen, record consultations and positions on behalf."""
    return access_for(user, network).is_secretariat


def can_withdraw(user, proposal: Proposal) -> bool:
    return can_run_procedure(user, proposal.network) or (
        user.is_authenticated and proposal.proposed_by_id == user.pk
    )


def speaking_for(user, proposal: Proposal, members: list | None = None) -> list:
    """The member organisations of the deciding body this user represents there (principal or
    alternate): each is one seat, whoever of its representatives speaks. From the user's seats,
    already loaded; a page passes the deciding members it loaded too."""
    access = access_for(user, proposal.network)
    mine = {org for body, org in access.organisations if body == proposal.body_id}
    if not mine:
        return []
    members = members if members is not None else deciding_members(proposal.body)
    return [m.organisation for m in members if m.organisation_id in mine]


def can_take_position(user, proposal: Proposal) -> bool:
    return proposal.is_open and bool(speaking_for(user, proposal))


def get_proposal_for_user(user, network: Network, proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.filter(network=network, pk=proposal_id)
        .select_related(
            "body",
            "body__escalates_to",
            "meeting",
            "proposed_by",
            "working_group",
            "membership",
            "decision__amends",
            "decision__supersedes",
        )
        .first()
    )
    if proposal is None or not can_view_decisions(user, network):
        raise Http404(_("No such proposal in this network."))
    proposal.network = proposal.body.network = network
    return proposal


# Action items -----------------------------------------------------------------------------------


def can_create_actions(user, network: Network) -> bool:
    return access_for(user, network).is_secretariat


def _represents(user, network: Network, organisation_id: int) -> bool:
    return (
        Representative.objects.current(on=network.today())
        .filter(person=user, membership__body__network=network, membership__organisation_id=organisation_id)
        .exists()
    )


def can_update_action(user, action: ActionItem) -> bool:
    """The owner, the owner organisation's representatives and the Secretariat report progress."""
    if not getattr(user, "is_authenticated", False):
        return False
    if access_for(user, action.network).is_secretariat or action.owner_id == user.pk:
        return True
    return _represents(user, action.network, action.owner_organisation_id)


def can_comment_on_action(user, action: ActionItem) -> bool:
    return access_for(user, action.network).is_member


def get_action_for_user(user, network: Network, action_id: int) -> ActionItem:
    action = (
        ActionItem.objects.filter(network=network, pk=action_id)
        .select_related("decision", "owner_organisation", "owner", "meeting")
        .first()
    )
    if action is None or not can_view_decisions(user, network):
        raise Http404(_("No such action item in this network."))
    action.network = network
    return action


# Consultations and the focal points of consulted organisations ----------------------------------


def focal_point_organisations(user, network: Network) -> frozenset:
    """The organisations this user is the active focal point of in the network (cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = user.__dict__.setdefault("_convene_focal_points", {})
    if network.pk not in cache:
        cache[network.pk] = frozenset(
            FocalPoint.objects.active()
            .filter(network=network, person=user)
            .values_list("organisation_id", flat=True)
        )
    return cache[network.pk]


def can_designate_focal_points(user, network: Network) -> bool:
    return access_for(user, network).is_secretariat


def can_see_consultations(user, network: Network) -> bool:
    """The Secretariat, and the focal points of the organisations consulted."""
    return access_for(user, network).is_secretariat or bool(focal_point_organisations(user, network))


def visible_consultations(user, network: Network):
    """The Secretariat sees every consultation; a focal point only those put to its organisation."""
    consultations = Consultation.objects.filter(network=network)
    if access_for(user, network).is_secretariat:
        return consultations
    return consultations.filter(organisation_id__in=focal_point_organisations(user, network))


def can_answer_consultation(user, consultation: Consultation) -> bool:
    """The focal point records its organisation's answer; the Secretariat records one given otherwise."""
    network = consultation.network
    return consultation.is_open and (
        access_for(user, network).is_secretariat
        or consultation.organisation_id in focal_point_organisations(user, network)
    )


def get_network_for_consultee(user, network_slug: str) -> Network:
    """The network, for the Secretariat or a focal point of a consulted organisation; 404 otherwise
    (a focal point holds no seat, so every other page of the network stays 404 to them)."""
    network = Network.objects.filter(slug=network_slug).first()
    if network is None or not can_see_consultations(user, network):
        raise Http404(_("There is no such network that you can see."))
    return network


def get_consultation_for_user(user, network: Network, consultation_id: int) -> Consultation:
    consultation = (
        visible_consultations(user, network)
        .select_related("proposal", "proposal__body", "organisation", "recorded_by")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None:
        raise Http404(_("No such consultation."))
    consultation.network = network
    if consultation.proposal is not None:
        consultation.proposal.network = network
    return consultation
