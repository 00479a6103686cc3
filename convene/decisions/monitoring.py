"""Implementation monitoring: what was decided and how its follow-up stands, for the Secretariat
("monitor the implementation of Network decisions") and for the reports that reuse the summary.

Every figure is an aggregate query, so the page costs the same with ten decisions or ten thousand.
"""

import datetime

from django.db.models import Count, F, Q

from convene.networks.models import Network

from .models import ActionItem, Decision, Escalation, Proposal

UNFINISHED = Q(status__in=ActionItem.UNFINISHED)


def action_figures(actions, today: datetime.date) -> dict:
    """Counts of a queryset of action items: done (on time or late), open, overdue, blocked."""
    done = Q(status=ActionItem.Status.DONE)
    return actions.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=done),
        done_on_time=Count("pk", filter=done & Q(completed_on__lte=F("due_date"))),
        unfinished=Count("pk", filter=UNFINISHED),
        overdue=Count("pk", filter=UNFINISHED & Q(due_date__lt=today)),
        blocked=Count("pk", filter=Q(status=ActionItem.Status.BLOCKED)),
        cancelled=Count("pk", filter=Q(status=ActionItem.Status.CANCELLED)),
    )


def implementation_summary(
    network: Network,
    *,
    today: datetime.date,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict:
    """Decisions adopted and escalated, and their action items, optionally for a period (by the
    day a decision was adopted, an escalation tabled, an action due)."""
    decisions = Decision.objects.filter(network=network)
    escalations = Escalation.objects.filter(proposal__network=network)
    actions = ActionItem.objects.filter(network=network)
    if start:
        decisions = decisions.filter(adopted_at__date__gte=start)
        escalations = escalations.filter(tabled_on__gte=start)
        actions = actions.filter(due_date__gte=start)
    if end:
        decisions = decisions.filter(adopted_at__date__lte=end)
        escalations = escalations.filter(tabled_on__lte=end)
        actions = actions.filter(due_date__lte=end)
    figures = action_figures(actions, today)
    finished = figures["done"]
    return {
        "decisions": decisions.aggregate(
            adopted=Count("pk"),
            by_consensus=Count("pk", filter=~Q(adopted_by=Decision.AdoptedBy.UNCT)),
            by_unct=Count("pk", filter=Q(adopted_by=Decision.AdoptedBy.UNCT)),
        ),
        "escalations": escalations.aggregate(
            tabled=Count("pk"), pending=Count("pk", filter=Q(outcome=Escalation.Outcome.PENDING))
        ),
        "actions": figures,
        "on_time_rate": round(100 * figures["done_on_time"] / finished) if finished else None,
        "open_proposals": Proposal.objects.filter(network=network, status=Proposal.Status.OPEN).count(),
    }


def overdue_by_owner(network: Network, *, today: datetime.date) -> list[dict]:
    """Overdue action items per owner organisation, most first."""
    return list(
        ActionItem.objects.filter(network=network, due_date__lt=today)
        .filter(UNFINISHED)
        .values("owner_organisation__acronym", "owner_organisation__name")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "owner_organisation__acronym")
    )


def pending_escalations(network: Network):
    return (
        Escalation.objects.filter(proposal__network=network, outcome=Escalation.Outcome.PENDING)
        .select_related("proposal", "to_body", "unct_meeting")
        .order_by("tabled_on")
    )


def decisions_with_followup(network: Network, *, today: datetime.date, limit: int = 50):
    """The latest decisions that have action items, each with its counts, in one query."""
    return (
        Decision.objects.filter(network=network)
        .annotate(
            actions_total=Count("action_items"),
            actions_done=Count("action_items", filter=Q(action_items__status=ActionItem.Status.DONE)),
            actions_overdue=Count(
                "action_items",
                filter=Q(action_items__status__in=ActionItem.UNFINISHED, action_items__due_date__lt=today),
            ),
        )
        .filter(actions_total__gt=0)
        .order_by("-adopted_at")[:limit]
    )
