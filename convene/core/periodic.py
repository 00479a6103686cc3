"""Jobs the hourly reminder task runs: each app registers its own (meetings' reminders, decisions'
silence procedures and due dates), so one self-re-queuing task serves them all and no app imports
another's. A job takes the current time and returns how many things it did."""

import datetime
import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)

Job = Callable[[datetime.datetime], int]
JOBS: list[Job] = []


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
