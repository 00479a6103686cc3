"""The task runner's context: what a background task changes is recorded as the worker's; a task
a killed worker left "running" is marked failed.

The database worker (`manage.py db_worker`) and the immediate backend both announce each task with
django-tasks' `task_started` and `task_finished` signals; between the two, `record_change` writes
the source "worker", whatever queued the task (a web request, the hourly job)."""

import datetime

from django.dispatch import receiver
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.models import DBTaskResult

from .audit import _source
from .models import ChangeLog
from .periodic import LEASE, periodic

# The audit source each running task replaced, to restore it when the task ends (by task id: the
# worker runs one task at a time, the immediate backend may run one inside another).
_restore: dict[str, object] = {}


@receiver(task_started, dispatch_uid="convene.core.tasks.audit_as_worker")
def audit_as_worker(sender, task_result, **kwargs) -> None:
    _restore[task_result.id] = _source.set(ChangeLog.Source.WORKER)


@receiver(task_finished, dispatch_uid="convene.core.tasks.audit_as_before")
def audit_as_before(sender, task_result, **kwargs) -> None:
    if (token := _restore.pop(task_result.id, None)) is not None:
        _source.reset(token)


class Abandoned(Exception):
    """The worker running this task stopped (killed, restarted) before the task finished."""


# Longer than any task runs: an e-mail takes seconds, the hourly run holds its lease for LEASE.
ABANDONED_AFTER = 2 * LEASE


@periodic
def fail_abandoned_tasks(now: datetime.datetime) -> int:
    """Mark failed the task results a killed worker left running, so the queue says what happened.
    The work itself is resumed by whoever owns it: e-mail by `mail.resume_deliveries`, the hourly
    run by the next run taking over its lease."""
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - ABANDONED_AFTER
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{Abandoned.__module__}.{Abandoned.__qualname__}",
        traceback=f"{Abandoned.__qualname__}: {Abandoned.__doc__}\n",
    )
