"""The hourly task and the jobs it runs: each app registers its own (meetings' reminders, decisions'
silence procedures and due dates), so one task serves them all and no app imports another's. A job
takes the current time and returns how many things it did.

Exactly once, however many servers and workers: the task's `Schedule` row says which run is
queued (`next_run`) and who runs it now. Start-up (`schedule`) queues a run only if none is
waiting; a run goes ahead only if it is the one waiting and no live worker holds the row, and it
queues the next run in the same transaction as it takes the row, so a killed worker neither stops
the hourly task nor blocks it for longer than `LEASE`."""

import datetime
import logging
import os
import socket
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import Schedule

log = logging.getLogger(__name__)

Job = Callable[[datetime.datetime], int]
JOBS: list[Job] = []

INTERVAL = datetime.timedelta(hours=1)
# A run still holding the row after this long was interrupted (its worker killed): it is taken over.
LEASE = datetime.timedelta(minutes=30)
# A run that finds another one still going comes back this much later.
BUSY_RETRY = datetime.timedelta(minutes=5)

# Queues the task to run `slot` at `when` (the task passes `slot` back to `run_scheduled`).
Enqueue = Callable[[datetime.datetime, datetime.datetime], None]


def periodic(fn: Job) -> Job:
    JOBS.append(fn)
    return fn


def run_jobs(now: datetime.datetime) -> int:
    """Every job, each in its own transaction: one that fails is logged and neither stops the
    others nor undoes what they did; the first failure is raised once all have run."""
    done, failure = 0, None
    for job in JOBS:
        try:
            with transaction.atomic():
                done += job(now)
        except Exception as exc:
            log.exception("Periodic job %s.%s failed", job.__module__, job.__qualname__)
            failure = failure or exc
    if failure is not None:
        raise failure
    return done


def _locked(name: str) -> Schedule:
    """The task's row, locked until the transaction ends (made on first use, by whoever is first)."""
    Schedule.objects.bulk_create([Schedule(name=name)], ignore_conflicts=True)
    return Schedule.objects.select_for_update().get(name=name)


def schedule(name: str, enqueue: Enqueue, now: datetime.datetime | None = None) -> bool:
    """Queue a run now unless one is waiting (due within the hour, or overdue by less): run at
    every start-up of every server, only one of them queues. True if this call queued it."""
    now = now or timezone.now()
    with transaction.atomic():
        row = _locked(name)
        if row.next_run is not None and row.next_run > now - INTERVAL:
            return False
        row.next_run = now
        row.save(update_fields=["next_run"])
        enqueue(now, now)
    return True


def run_scheduled(name: str, slot: datetime.datetime, enqueue: Enqueue) -> int | None:
    """Run the jobs if `slot` is the run waiting and no live worker holds the row; queue the next
    run first. None when this run does nothing: superseded (another run is the one waiting) or
    busy (another worker is running the jobs; this run comes back in `BUSY_RETRY`)."""
    now = timezone.now()
    me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    with transaction.atomic():
        row = _locked(name)
        if row.next_run != slot:
            return None
        if row.running_since is not None:
            if row.running_since > now - LEASE:
                enqueue(slot, now + BUSY_RETRY)
                return None
            log.warning(
                "Run of %s by %s since %s did not finish: taken over", name, row.holder, row.running_since
            )
        row.next_run, row.last_run, row.running_since, row.holder = now + INTERVAL, slot, now, me
        row.save(update_fields=["next_run", "last_run", "running_since", "holder"])
        enqueue(row.next_run, row.next_run)
    try:
        return run_jobs(now)
    finally:
        Schedule.objects.filter(name=name, holder=me).update(
            running_since=None, holder="", finished_at=timezone.now()
        )
