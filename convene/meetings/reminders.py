"""Reminders, run by the task worker: the Secretariat when a quarter is ending with no meeting
scheduled; the invitees the day before a meeting. The task runs every hour (see core.periodic)."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from convene.core.dates import show_date, show_datetime
from convene.core.mail import Content, Message, Phrase, queue_email, queue_message
from convene.core.models import SentReminder
from convene.core.periodic import periodic, run_jobs, run_scheduled, schedule
from convene.networks.models import Body, Network, Representative, Rule

from . import services
from .models import Meeting
from .monitoring import Quarter

QUARTER_WARNING_DAYS = 21  # “three weeks before a quarter ends with no meeting scheduled”
MEETING_REMINDER_HOURS = 24
SECRETARIAT_REASON = gettext_lazy("You receive this as a member of the Secretariat of %(network)s.")


def once(key: str) -> bool:
    """True the first time a key is claimed; a reminder is sent only then."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def secretariat_emails(network: Network) -> list[str]:
    return list(
        Representative.objects.current(on=network.today())
        .filter(
            membership__body__network=network,
            membership__body__kind=Body.Kind.SECRETARIAT,
            person__is_active=True,
        )
        .values_list("person__email", flat=True)
        .order_by("person__email")  # not the model's ordering, which DISTINCT would keep apart
        .distinct()
    )


@periodic
def remind_quarters(now: datetime.datetime) -> int:
    sent = 0
    rules = Rule.objects.filter(kind=Rule.Kind.MEETING_FREQUENCY, body__isnull=False).select_related(
        "network", "body"
    )
    for rule in rules:
        network = rule.network
        today = network.today(now)
        quarter = Quarter.of(today)
        warn = int((rule.params or {}).get("remind_days_before", QUARTER_WARNING_DAYS))
        if (quarter.end - today).days > warn:
            continue
        zone = network.zone
        start = datetime.datetime.combine(quarter.start, datetime.time(), tzinfo=zone)
        end = datetime.datetime.combine(
            quarter.end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
        )
        scheduled = Meeting.objects.filter(body=rule.body, starts_at__gte=start, starts_at__lt=end).exclude(
            status=Meeting.Status.CANCELLED
        )
        if scheduled.exists() or not once(f"quarter:{rule.pk}:{quarter}"):
            continue
        url = settings.CONVENE_BASE_URL + reverse("meetings:new", args=[network.slug])
        queue_email(
            to=secretariat_emails(network),
            topic="reminder",
            network=network,
            reason=Phrase(SECRETARIAT_REASON, network=network),
            compose=lambda rule=rule, quarter=quarter, url=url: Content(
                subject=_("No meeting scheduled for %(q)s") % {"q": quarter},
                text=_(
                    "“%(rule)s” — %(body)s has no meeting scheduled in %(q)s, which ends on %(end)s.\n\n"
                    "Schedule one: %(url)s\n"
                )
                % {
                    "rule": rule.tr.title,
                    "body": rule.body,
                    "q": quarter,
                    "end": show_date(quarter.end),
                    "url": url,
                },
            ),
        )
        sent += 1
    return sent


@periodic
def remind_meetings(now: datetime.datetime) -> int:
    sent = 0
    soon = Meeting.objects.filter(
        status=Meeting.Status.CIRCULATED,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(hours=MEETING_REMINDER_HOURS),
    ).select_related("body", "network")
    for meeting in soon:
        if not once(f"meeting:{meeting.uid}:{meeting.starts_at.isoformat()}"):
            continue
        queue_message(
            Message(
                topic="reminder",
                network=meeting.network,
                recipients=services.invitee_recipients(meeting),
                compose=lambda meeting=meeting: Content(
                    subject=_("Reminder: %(m)s, %(d)s")
                    % {"m": meeting.title, "d": show_datetime(meeting.local_start, weekday=True)},
                    text=_("%(m)s starts on %(d)s (%(tz)s).\n%(where)s\n\n%(url)s\n")
                    % {
                        "m": meeting.title,
                        "d": show_datetime(meeting.local_start, weekday=True),
                        "tz": meeting.timezone,
                        "where": ", ".join(p for p in (meeting.location, meeting.online_url) if p),
                        "url": services.meeting_url(meeting),
                    },
                ),
            )
        )
        sent += 1
    return sent


def run_reminders(now: datetime.datetime | None = None) -> int:
    """Every registered job (these and those of the apps above meetings), each in its own transaction."""
    return run_jobs(now or timezone.now())


SCHEDULE = "reminders"


def _enqueue(slot: datetime.datetime, when: datetime.datetime) -> None:
    send_reminders.using(run_after=when).enqueue(slot.isoformat())


def schedule_reminders() -> bool:
    """Queue the hourly task unless a run is waiting (every server runs this at start-up)."""
    return schedule(SCHEDULE, _enqueue)


@task()
def send_reminders(slot: str | None = None) -> int | None:
    """Send what is due, once however many copies of this task the servers queued; the next run is
    queued before the jobs start (a broken job or a killed worker must not stop the hourly
    reminders for good). A run queued without a slot (by an earlier version) only schedules."""
    if slot is None:
        schedule_reminders()
        return None
    return run_scheduled(SCHEDULE, datetime.datetime.fromisoformat(slot), _enqueue)
