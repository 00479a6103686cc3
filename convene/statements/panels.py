"""On the network home, under "Needs your attention": the statements awaiting the clearance of an
organisation whose seat the user holds, by the round's deadline (shown on the network's clock)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.networks.panels import Attention, attention
from convene.networks.permissions import access_for

from .models import Clearance, Round


def awaiting_clearance(user, network, limit=None) -> list[Clearance]:
    """The unanswered seats the user holds in the network's open statement rounds: one query,
    however many rounds (the seats come from the access already loaded)."""
    seats = access_for(user, network).organisations
    if not seats:
        return []
    held = Q()
    for body_id, organisation_id in seats:
        held |= Q(round__body_id=body_id, organisation_id=organisation_id)
    return list(
        Clearance.objects.filter(
            held,
            answer=Clearance.Answer.PENDING,
            round__outcome=Round.Outcome.OPEN,
            round__statement__network=network,
        )
        .select_related("round__statement", "round__body", "organisation")
        .order_by("round__deadline", "round_id", "organisation__acronym")[:limit]
    )


@attention
def clearances_owed(request, network, structure, limit):
    now = timezone.now()
    for seat in awaiting_clearance(request.user, network, limit):
        round = seat.round
        yield Attention(
            kind=_("Awaiting your clearance"),
            title=round.statement.title,
            where=f"{seat.organisation.acronym} · {round.body.tr.name}",
            url=reverse("statements:statement", args=[network.slug, round.statement_id]) + "#answer",
            due=round.deadline,
            overdue=round.deadline < now,
            detail=round.get_procedure_display(),
        )
