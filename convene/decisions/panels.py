"""The network home's panel: proposals awaiting the user's position, and the user's open actions."""

from django.db.models import Exists, OuterRef, Q

from convene.networks.models import Representative
from convene.networks.panels import panel
from convene.networks.permissions import access_for

from .models import ActionItem, Position, Proposal
from .rules import DECIDING_ROLES


def awaiting_position(user, network, *, deciding_body_ids=None) -> list[Proposal]:
    """Open proposals before a body where the user speaks for an organisation that has not yet
    taken a position: one query, however many proposals. Without a seat in a deciding body
    (known from the structure already loaded), none."""
    access = access_for(user, network)
    seated = {b for b, _kind, role in access.seats if role in DECIDING_ROLES}
    if deciding_body_ids is not None:
        seated &= set(deciding_body_ids)
    if not seated:
        return []
    answered = Position.objects.filter(proposal=OuterRef(OuterRef("pk"))).values("organisation")
    unanswered_seat = (
        Representative.objects.current(on=network.today())
        .filter(person=user, membership__body=OuterRef("body"), membership__role__in=DECIDING_ROLES)
        .exclude(membership__organisation__in=answered)
    )
    return list(
        Proposal.objects.filter(network=network, status=Proposal.Status.OPEN, body_id__in=seated)
        .filter(Exists(unanswered_seat))
        .order_by("deadline", "created_at")[:50]
    )


def my_actions(user, network):
    """Action items the user owns, or that an organisation they represent owns without a named owner."""
    organisations = (
        Representative.objects.current(on=network.today())
        .filter(person=user, membership__body__network=network)
        .values("membership__organisation_id")
    )
    return ActionItem.objects.filter(network=network).filter(
        Q(owner=user) | Q(owner__isnull=True, owner_organisation_id__in=organisations)
    )


@panel
def decisions_panel(request, network, structure):
    if not access_for(request.user, network).is_member:
        return None
    actions = list(my_actions(request.user, network).unfinished().order_by("due_date")[:10])
    return {
        "template": "decisions/_home_panel.html",
        "awaiting": awaiting_position(
            request.user, network, deciding_body_ids=[b.pk for b in structure.bodies if b.decision_method]
        ),
        "actions": actions,
    }
