"""The task runner's context: what a background task changes is recorded as the worker's.

The database worker (`manage.py db_worker`) and the immediate backend both announce each task with
django-tasks' `task_started` and `task_finished` signals; between the two, `record_change` writes
the source "worker", whatever queued the task (a web request, the hourly job)."""

from django.dispatch import receiver
from django_tasks.signals import task_finished, task_started

from .audit import _source
from .models import ChangeLog

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
