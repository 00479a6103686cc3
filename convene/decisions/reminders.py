"""Hourly jobs of the decisions capability (run by the meetings app's reminder task):
silence procedures closed at their deadline, members reminded of a position they owe, owners of
action items reminded before the due date and after it, each reminder once."""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.core.dates import show_date, show_datetime
from convene.core.mail import Content, Message, Phrase, queue_email, queue_message
from convene.core.periodic import periodic
from convene.meetings.reminders import once
from convene.networks.models import Representative, current_representative

from . import rules, services
from .models import ActionItem, Position, Proposal

POSITION_REMINDER = datetime.timedelta(hours=48)
DUE_SOON_DAYS = 3
OVERDUE_EVERY_DAYS = 7


@periodic
def close_written_procedures(now: datetime.datetime) -> int:
    return services.close_due_written_procedures(now)


@periodic
def remind_positions(now: datetime.datetime) -> int:
    """Representatives of member organisations that have not yet taken a position, 48 hours
    before the deadline (again if the deadline moves)."""
    proposals = list(
        Proposal.objects.filter(
            status=Proposal.Status.OPEN, deadline__gt=now, deadline__lte=now + POSITION_REMINDER
        ).select_related("network", "body")
    )
    answered = defaultdict(set)
    for proposal_id, organisation_id in Position.objects.filter(proposal__in=proposals).values_list(
        "proposal_id", "organisation_id"
    ):
        answered[proposal_id].add(organisation_id)
    sent = 0
    for proposal in proposals:
        waiting = [
            m.organisation_id
            for m in rules.deciding_members(proposal.body)
            if m.organisation_id not in answered[proposal.pk]
        ]
        to = services.representatives_of(proposal.body, waiting)
        if not to or not once(f"position:{proposal.pk}:{proposal.deadline.isoformat()}"):
            continue
        queue_message(
            Message(
                topic="reminder", network=proposal.network, recipients=to, compose=_position_due(proposal)
            )
        )
        sent += 1
    return sent


def _position_due(proposal: Proposal):
    def compose() -> Content:
        return Content(
            subject=_("Your position is awaited by %(when)s: %(title)s")
            % {"when": show_datetime(proposal.network.localtime(proposal.deadline)), "title": proposal.title},
            text=_(
                "%(body)s decides “%(title)s”. Your organisation has not yet given its position."
                "%(silence)s\n\n%(url)s\n"
            )
            % {
                "body": proposal.body,
                "title": proposal.title,
                "silence": " " + _("Without an objection by the deadline, it is adopted.")
                if proposal.procedure == Proposal.Procedure.WRITTEN
                else "",
                "url": services.proposal_url(proposal),
            },
        )

    return compose


def _owners(actions: list[ActionItem], now: datetime.datetime) -> dict[int, list[str]]:
    """Who hears about each action: its owner, or else (no owner, or one no longer active) the
    owner organisation's current representatives in the network (one query for all)."""

    def owned(a):
        return a.owner_id is not None and a.owner.is_active

    orphans = {(a.network, a.owner_organisation_id) for a in actions if not owned(a)}
    reps = defaultdict(set)
    if orphans:
        condition = Q()
        for network, organisation_id in orphans:
            condition |= current_representative(network.today(now)) & Q(
                membership__body__network_id=network.pk, membership__organisation_id=organisation_id
            )
        for network_id, organisation_id, email in (
            Representative.objects.filter(condition, person__is_active=True)
            .values_list("membership__body__network_id", "membership__organisation_id", "person__email")
            .order_by()  # not the model's ordering, which DISTINCT would keep apart
            .distinct()
        ):
            reps[(network_id, organisation_id)].add(email)
    return {
        a.pk: [a.owner.email] if owned(a) else sorted(reps[(a.network_id, a.owner_organisation_id)])
        for a in actions
    }


@periodic
def remind_actions(now: datetime.datetime) -> int:
    """Owners: three days before an action is due, the day after, then every week while unfinished."""
    # A day of slack for any zone; each network's own date decides below.
    horizon = now.date() + datetime.timedelta(days=DUE_SOON_DAYS + 2)
    actions = list(
        ActionItem.objects.unfinished().filter(due_date__lte=horizon).select_related("network", "owner")
    )
    recipients = _owners(actions, now)
    sent = 0
    for action in actions:
        today = action.network.today(now)
        days = (action.due_date - today).days
        if 0 <= days <= DUE_SOON_DAYS:
            key = f"action-due:{action.pk}:{action.due_date}"
            subject = gettext_lazy("Due on %(d)s: %(t)s")
        elif days < 0:
            key = f"action-overdue:{action.pk}:{action.due_date}:{(-days - 1) // OVERDUE_EVERY_DAYS}"
            subject = gettext_lazy("Overdue since %(d)s: %(t)s")
        else:
            continue
        if not recipients[action.pk] or not once(key):
            continue
        queue_email(
            to=recipients[action.pk],
            topic="reminder",
            network=action.network,
            reason=Phrase(services.ACTION_OWNER_REASON),
            compose=lambda action=action, subject=subject: Content(
                subject=str(subject) % {"d": show_date(action.due_date), "t": action.title},
                text=_("%(t)s\nDue: %(d)s — status: %(s)s\n\nReport progress: %(url)s\n")
                % {
                    "t": action.title,
                    "d": show_date(action.due_date),
                    "s": action.get_status_display(),
                    "url": services.action_url(action),
                },
            ),
        )
        sent += 1
    return sent
