"""Reads shared by the workplan pages, the API and the services: the members' consultation on a
draft workplan (who is consulted, who has given a view, who has not)."""

from dataclasses import dataclass

from convene.core.mail import Recipient
from convene.decisions.rules import DECIDING_ROLES
from convene.networks.models import Body, Membership, Organisation, Representative, Rule
from convene.networks.queries import seat_recipients

from .models import MemberView, Workplan


def consults_members(workplan: Workplan) -> bool:
    """Whether the charter asks for the members' views before the network's workplan is decided
    (Kenya: `consult_members` on the workplan rule). Working groups' workplans are not consulted."""
    return (
        workplan.working_group_id is None
        and workplan.network.rules.filter(kind=Rule.Kind.WORKPLAN, params__consult_members=True).exists()
    )


def _member_rows(workplan: Workplan):
    return Membership.objects.current(on=workplan.network.today()).filter(
        body__network_id=workplan.network_id, body__kind=Body.Kind.PLENARY, role__in=DECIDING_ROLES
    )


def consulted_organisations(workplan: Workplan) -> list[Organisation]:
    """The member organisations of the network's plenary, one each."""
    ids = _member_rows(workplan).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("acronym"))


def consulted_recipients(workplan: Workplan) -> list[Recipient]:
    """The current representatives of those organisations in the plenary, with their seats."""
    return seat_recipients(
        Representative.objects.current(on=workplan.network.today()).filter(
            membership__in=_member_rows(workplan)
        )
    )


def organisations_of(user, workplan: Workplan) -> list[Organisation]:
    """The member organisations this person currently speaks for in the plenary."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = (
        Representative.objects.current(on=workplan.network.today())
        .filter(person=user, membership__in=_member_rows(workplan))
        .values("membership__organisation_id")
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("acronym"))


@dataclass
class Consultation:
    organisations: list[Organisation]
    views: list[MemberView]

    @property
    def pending(self) -> list[Organisation]:
        given = {v.organisation_id for v in self.views}
        return [o for o in self.organisations if o.pk not in given]


def consultation(workplan: Workplan) -> Consultation:
    views = list(workplan.member_views.select_related("organisation", "author"))
    return Consultation(organisations=consulted_organisations(workplan), views=views)
