"""Reads shared by pages, exports and the API: a network's structure in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from convene.core.mail import Phrase, Recipient

from .models import Body, Membership, Network, Representative, body_live, in_term

# Why a representative gets a network's e-mail: the seat they hold.
SEAT_REASONS = {
    Representative.Kind.PRINCIPAL: _(
        "You receive this as the principal representative of %(org)s in %(body)s."
    ),
    Representative.Kind.ALTERNATE: _(
        "You receive this as the alternate representative of %(org)s in %(body)s."
    ),
}


@dataclass
class Seat:
    """An organisation's place in a body: its roles there (member, co-chair…) and its people."""

    organisation: object
    memberships: list[Membership]

    @property
    def primary(self) -> Membership:
        """The membership representatives are designated on: the standing one, not a term role."""
        return next((m for m in self.memberships if m.role != Membership.Role.CO_CHAIR), self.memberships[0])

    @property
    def representatives(self) -> list[Representative]:
        return [r for m in self.memberships for r in m.representatives.all()]


def group_seats(memberships: list[Membership]) -> list[Seat]:
    seats: dict[int, Seat] = {}
    for m in memberships:
        seats.setdefault(m.organisation_id, Seat(m.organisation, [])).memberships.append(m)
    return list(seats.values())


@dataclass
class Structure:
    """Bodies with their current memberships and representatives, and the open applications."""

    network: Network
    bodies: list[Body]
    applications: list[Membership]

    def body(self, kind: str) -> Body | None:
        return next((b for b in self.bodies if b.kind == kind), None)

    @property
    def working_groups(self) -> list[Body]:
        return [b for b in self.bodies if b.kind == Body.Kind.WORKING_GROUP]

    @property
    def members(self) -> list[Membership]:
        plenary = self.body(Body.Kind.PLENARY)
        return plenary.current_memberships if plenary else []


def current_representatives(on):
    """Representatives in their term on `on` (their membership is checked by the caller)."""
    return (
        Representative.objects.filter(in_term(on))
        .select_related("person")
        .order_by("kind", "person__full_name")
    )


def load_structure(network: Network, *, include_abolished: bool = False, bodies=None) -> Structure:
    """Four queries whatever the size of the network."""
    today = network.today()
    body_qs = network.bodies.all() if bodies is None else bodies
    if not include_abolished:
        body_qs = body_qs.filter(body_live(today))
    memberships = (
        Membership.objects.filter(status__in=[Membership.Status.ACTIVE, Membership.Status.APPLIED])
        .select_related("organisation")
        .prefetch_related(Prefetch("representatives", queryset=current_representatives(today)))
        .order_by("organisation__acronym", "role")
    )
    body_list = list(body_qs.prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="_open")))
    applications = []
    for body in body_list:
        body.current_memberships = [m for m in body._open if m.in_term(today)]
        body.seats = group_seats(body.current_memberships)
        applications += [m for m in body._open if m.status == Membership.Status.APPLIED]
    return Structure(network=network, bodies=body_list, applications=applications)


def seat_reason(*, kind: str, organisation, body: Body) -> Phrase:
    """Why a representative gets the e-mail (as the principal representative of IOM in the
    Executive Committee), worded in the reader's language."""
    text = SEAT_REASONS.get(kind, SEAT_REASONS[Representative.Kind.PRINCIPAL])
    return Phrase(text, org=getattr(organisation, "acronym", "") or organisation, body=body.name)


def seat_recipients(representatives) -> list[Recipient]:
    """Recipients from current Representative rows, each with the seat that makes them one (one
    query: person, organisation and body are loaded with the rows)."""
    rows = representatives.filter(person__is_active=True).select_related(
        "person", "membership__organisation", "membership__body"
    )
    return [
        Recipient(
            r.person.email,
            r.person.full_name,
            r.membership.organisation.acronym,
            seat_reason(kind=r.kind, organisation=r.membership.organisation, body=r.membership.body),
        )
        # A person with several seats is told of the first: a principal seat before an alternate.
        for r in sorted(
            rows, key=lambda r: (r.kind != Representative.Kind.PRINCIPAL, r.membership.body.order, r.pk)
        )
    ]
