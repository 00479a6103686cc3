"""Who may see and do what in a network: derived from memberships, written once.

A user's standing in a network comes from the representatives they are designated as: an
organisation's seat in a body, with that membership's role. Pages, the API, exports and admin
actions all ask these functions; nothing else decides access.
"""

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Body, Membership, Network, Representative, current_representative


@dataclass(frozen=True)
class Access:
    """A user's seats in one network, computed in one query and cached on the user object."""

    network_id: int
    seats: frozenset = field(default_factory=frozenset)  # (body_id, body_kind, role)
    organisations: frozenset = field(default_factory=frozenset)  # (body_id, organisation_id) spoken for

    @property
    def body_ids(self) -> set[int]:
        return {body_id for body_id, _kind, _role in self.seats}

    @property
    def is_secretariat(self) -> bool:
        return any(kind == Body.Kind.SECRETARIAT for _b, kind, _r in self.seats)

    @property
    def is_leadership(self) -> bool:
        """Executive Committee member or co-chair of the network."""
        return any(kind in (Body.Kind.EXECUTIVE, Body.Kind.CO_CHAIRS) for _b, kind, _r in self.seats)

    @property
    def is_member(self) -> bool:
        """Represents a member organisation (not only an external partner of a working group)."""
        return any(
            kind != Body.Kind.WORKING_GROUP or role != Membership.Role.EXTERNAL_PARTNER
            for _b, kind, role in self.seats
        )

    @property
    def is_participant(self) -> bool:
        return bool(self.seats)

    @property
    def role_label(self) -> str:
        """What the person is in this network, its highest standing, in the charter's words."""
        kinds = {kind for _b, kind, _r in self.seats}
        if Body.Kind.SECRETARIAT in kinds:
            return _("Secretariat")
        if Body.Kind.CO_CHAIRS in kinds:
            return _("Co-chair")
        if Body.Kind.EXECUTIVE in kinds:
            return _("Executive Committee member")
        if any(
            kind == Body.Kind.WORKING_GROUP and role == Membership.Role.CO_CHAIR
            for _b, kind, role in self.seats
        ):
            return _("Working-group co-chair")
        if self.is_member:
            return _("Member representative")
        if self.is_participant:
            return _("Working-group participant")
        return ""


def access_for(user, network: Network) -> Access:
    if not getattr(user, "is_authenticated", False):
        return Access(network.pk)
    cache = user.__dict__.setdefault("_convene_access", {})
    if network.pk not in cache:
        seats = (
            Representative.objects.current(on=network.today())
            .filter(person=user, membership__body__network=network)
            .values_list(
                "membership__body_id",
                "membership__body__kind",
                "membership__role",
                "membership__organisation_id",
            )
        )
        cache[network.pk] = Access(
            network.pk,
            frozenset((body, kind, role) for body, kind, role, _org in seats),
            frozenset((body, org) for body, _kind, _role, org in seats),
        )
    return cache[network.pk]


def current_representations(user):
    """The user's seats in every network, each current on its own network's date.

    One condition per time zone the user's networks are in, so the query count stays flat.
    """
    mine = Representative.objects.filter(person=user)
    zones = set(mine.values_list("membership__body__network__timezone", flat=True))
    condition = Q(pk__in=[])
    for zone in zones:
        on = timezone.localdate(timezone=ZoneInfo(zone))
        condition |= Q(membership__body__network__timezone=zone) & current_representative(on)
    return Representative.objects.filter(condition, person=user)


def networks_for(user):
    """The networks a user holds a seat in."""
    if not getattr(user, "is_authenticated", False):
        return Network.objects.none()
    return Network.objects.filter(pk__in=current_representations(user).values("membership__body__network_id"))


# Questions asked by pages and the API ---------------------------------------------------------


def can_view_network(user, network: Network) -> bool:
    """The network home, its bodies, members list and rules: members of the network."""
    return access_for(user, network).is_member


def can_view_body(user, body: Body) -> bool:
    access = access_for(user, body.network)
    return access.is_member or body.pk in access.body_ids


def can_manage_network(user, network: Network) -> bool:
    """Bodies, memberships, representatives, working groups: the Secretariat."""
    return access_for(user, network).is_secretariat


def can_view_audit_log(user, network: Network) -> bool:
    return access_for(user, network).is_secretariat


def can_export_members(user, network: Network) -> bool:
    return access_for(user, network).is_member


def can_share_members_list(user, network: Network) -> bool:
    return access_for(user, network).is_secretariat


def can_add_organisation(user) -> bool:
    """The registry is shared: the Secretariat of any network may add to it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return current_representations(user).filter(membership__body__kind=Body.Kind.SECRETARIAT).exists()


def can_view_registry(user) -> bool:
    return networks_for(user).exists()


# Gatekeepers: load, then check; 404 for both missing and not visible ---------------------------


def get_network_for_user(user, slug: str) -> Network:
    network = Network.objects.filter(slug=slug).first()
    if network is None or not access_for(user, network).is_participant:
        raise Http404(_("There is no network “%(slug)s” that you can see.") % {"slug": slug})
    return network


def get_body_for_user(user, network: Network, slug: str) -> Body:
    body = network.bodies.filter(slug=slug).first()
    if body is None or not can_view_body(user, body):
        raise Http404(_("No such body in this network."))
    return body
