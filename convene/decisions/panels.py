"""On the network home: what the user owes on proposals (positions, consultations) and their open
actions, under "Needs your attention"; and the decisions panel's links."""

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.networks.models import Representative
from convene.networks.panels import Attention, attention, panel
from convene.networks.permissions import access_for

from .models import ActionItem, Consultation, Position, Proposal
from .rules import DECIDING_ROLES


def _unanswered_seat(user, network):
    """The user's current deciding seats in the outer proposal's body whose organisation has not
    taken a position on it yet."""
    answered = Position.objects.filter(proposal=OuterRef(OuterRef("pk"))).values("organisation")
    return (
        Representative.objects.current(on=network.today())
        .filter(person=user, membership__body=OuterRef("body"), membership__role__in=DECIDING_ROLES)
        .exclude(membership__organisation__in=answered)
    )


def _deciding_seats(user, network, deciding_body_ids=None) -> set[int]:
    seated = {b for b, _kind, role in access_for(user, network).seats if role in DECIDING_ROLES}
    if deciding_body_ids is not None:
        seated &= set(deciding_body_ids)
    return seated


def awaiting_position(user, network, *, deciding_body_ids=None) -> list[Proposal]:
    """Open proposals before a body where the user speaks for an organisation that has not yet
    taken a position: one query, however many proposals. Without a seat in a deciding body
    (known from the structure already loaded), none."""
    seated = _deciding_seats(user, network, deciding_body_ids)
    if not seated:
        return []
    return list(
        Proposal.objects.filter(network=network, status=Proposal.Status.OPEN, body_id__in=seated)
        .filter(Exists(_unanswered_seat(user, network)))
        .select_related("body")
        .order_by("deadline", "created_at")[:50]
    )


def owed_on_proposals(user, network, *, deciding_body_ids=None, limit=None) -> list[Proposal]:
    """Open proposals on which the user owes something, in one query: their organisation's
    position (`awaiting`), or a consultation put to an organisation they represent
    (`consultation`: its title)."""
    seated = _deciding_seats(user, network, deciding_body_ids)
    organisations = {org for _body, org in access_for(user, network).organisations}
    if not seated and not organisations:
        return []
    awaiting = Q(body_id__in=seated) & Exists(_unanswered_seat(user, network)) if seated else Q(pk__in=[])
    consulted = Consultation.objects.filter(
        proposal=OuterRef("pk"), status=Consultation.Status.PENDING, organisation_id__in=organisations
    ).order_by("pk")
    return list(
        Proposal.objects.filter(network=network, status=Proposal.Status.OPEN)
        .annotate(
            awaiting=ExpressionWrapper(awaiting, output_field=BooleanField()),
            consultation=Subquery(consulted.values("title")[:1]),
        )
        .filter(Q(awaiting=True) | Q(consultation__isnull=False))
        .select_related("body")
        .order_by(F("deadline").asc(nulls_last=True), "created_at")[:limit]
    )


def my_actions(user, network):
    """Action items the user owns, or that an organisation they currently represent owns without a
    named owner."""
    organisations = (
        Representative.objects.current(on=network.today())
        .filter(person=user, membership__body__network=network)
        .values("membership__organisation_id")
    )
    return ActionItem.objects.filter(network=network).filter(
        Q(owner=user) | Q(owner__isnull=True, owner_organisation_id__in=organisations)
    )


@attention
def owed_on_open_proposals(request, network, structure, limit):
    """Positions the user's organisation owes, and consultations put to an organisation they
    represent (e.g. a Ministry's focal point, who answers on the proposal's page)."""
    deciding = [b.pk for b in structure.bodies if b.decision_method]
    now = timezone.now()
    for p in owed_on_proposals(request.user, network, deciding_body_ids=deciding, limit=limit):
        url = reverse("decisions:proposal", args=[network.slug, p.pk])
        overdue = bool(p.deadline and p.deadline < now)
        if p.awaiting:
            yield Attention(
                kind=_("Awaiting your position"), title=p.title, where=p.body.tr.name, url=url,
                due=p.deadline, overdue=overdue,
            )  # fmt: skip
        if p.consultation:
            yield Attention(
                kind=_("Consultation"), title=f"{p.consultation}: {p.title}", where=p.body.tr.name, url=url,
                due=p.deadline, overdue=overdue,
            )  # fmt: skip


@attention
def actions_owed(request, network, structure, limit):
    if not access_for(request.user, network).is_member:
        return
    today = network.today()
    actions = (
        my_actions(request.user, network)
        .unfinished()
        .select_related("owner_organisation")
        .order_by("due_date", "pk")[:limit]
    )
    for a in actions:
        yield Attention(
            kind=_("Your action"),
            title=a.title,
            where=str(a.owner_organisation or ""),
            url=reverse("decisions:action", args=[network.slug, a.pk]),
            due=a.due_date,
            overdue=a.due_date < today,
        )


@panel
def decisions_panel(request, network, structure):
    """Where decisions are kept; what the user owes is listed under "Needs your attention"."""
    if not access_for(request.user, network).is_member:
        return None
    return {"template": "decisions/_home_panel.html"}
