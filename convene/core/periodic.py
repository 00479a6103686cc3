"""Jobs the hourly reminder task runs: each app registers its own (meetings' reminders, decisions'
silence procedures and due dates), so one self-re-queuing task serves them all and no app imports
another's. A job takes the current time and returns how many things it did."""

import datetime
from collections.abc import Callable

Job = Callable[[datetime.datetime], int]
JOBS: list[Job] = []


def periodic(fn: Job) -> Job:
    JOBS.append(fn)
    return fn


def run_jobs(now: datetime.datetime) -> int:
    return sum(job(now) for job in JOBS)
