"""Hourly jobs of statements (run by the meetings app's reminder task): clearance rounds closed at
their deadline (a task scheduled at each deadline does it on time; this is the safety net), and
the seats that have not answered reminded 24 hours before it, once per deadline."""

import datetime

from django.utils.translation import gettext as _

from convene.core.dates import show_datetime
from convene.core.mail import Content, Message, queue_message
from convene.core.periodic import periodic
from convene.meetings.reminders import once

from . import releases, services
from .models import Clearance, Round

CLEARANCE_REMINDER = datetime.timedelta(hours=24)


@periodic
def close_clearance_rounds(now: datetime.datetime) -> int:
    return services.close_due_rounds(now)


@periodic
def remind_clearances(now: datetime.datetime) -> int:
    rounds = Round.objects.filter(
        outcome=Round.Outcome.OPEN, deadline__gt=now, deadline__lte=now + CLEARANCE_REMINDER
    ).select_related("statement__network", "release__network", "body", "version")
    sent = 0
    for round in rounds:
        waiting = list(
            round.clearances.filter(answer=Clearance.Answer.PENDING).values_list("organisation_id", flat=True)
        )
        to = services.representatives_of(round.body, waiting)
        if not to or not once(f"clearance:{round.pk}:{round.deadline.isoformat()}"):
            continue
        queue_message(
            Message(topic="reminder", network=round.statement.network, recipients=to, compose=_due(round))
        )
        sent += 1
    return sent


def _due(round: Round):
    subject = round.subject

    def compose() -> Content:
        when = show_datetime(subject.network.localtime(round.deadline), weekday=True)
        explicit = round.procedure == Round.Procedure.EXPLICIT
        if round.release_id:
            url = releases.release_url(subject)
            rule = (
                _("Without your answer it is not made public.")
                if explicit
                else _(
                    "Without an objection by then, your organisation is deemed to agree to make it public."
                )
            )
        else:
            url = services.statement_url(subject)
            rule = (
                _("Without your answer it cannot be issued in the name of the network.")
                if explicit
                else _("Without an objection by then, your organisation is deemed to have cleared it.")
            )
        return Content(
            subject=_("Clearance awaited by %(when)s: %(t)s") % {"when": when, "t": subject.title},
            text=_("Your organisation has not yet answered on “%(t)s”. %(rule)s\n\n%(url)s\n")
            % {"t": subject.title, "rule": rule, "url": url},
        )

    return compose
