"""Make sure the hourly reminder task is in the worker's queue (run at start-up; safe to repeat)."""

from django.core.management.base import BaseCommand
from django_tasks_db.models import DBTaskResult

from convene.meetings.reminders import send_reminders


class Command(BaseCommand):
    help = "Queue the reminder task unless it is already queued."

    def handle(self, *args, **options):
        path = send_reminders.module_path
        if DBTaskResult.objects.filter(task_path=path, status__in=["READY", "RUNNING"]).exists():
            self.stdout.write("Reminders already scheduled.")
            return
        send_reminders.enqueue()
        self.stdout.write("Reminders scheduled (every hour).")
