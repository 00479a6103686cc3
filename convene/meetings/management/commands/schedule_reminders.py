"""Make sure the hourly reminder task is in the worker's queue: run at every server's start-up;
however many run at once, one run is queued."""

from django.core.management.base import BaseCommand

from convene.meetings.reminders import schedule_reminders


class Command(BaseCommand):
    help = "Queue the hourly reminder task unless a run is already waiting."

    def handle(self, *args, **options):
        if schedule_reminders():
            self.stdout.write("Reminders scheduled (every hour).")
        else:
            self.stdout.write("Reminders already scheduled.")
