"""Reminders run on the real worker: the Secretariat when a quarter ends with no meeting scheduled,
the invitees a day before a meeting; each reminder once, however often the task runs."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from convene.core import periodic
from convene.core.models import OutboundEmail, SentReminder
from convene.meetings import reminders, services
from convene.meetings.models import Meeting
from convene.meetings.monitoring import Quarter

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_secretariat_is_reminded_three_weeks_before_a_quarter_ends_without_a_meeting(
    kenya, kenya_secretariat, smtp_server, run_worker
):
    quarter_end = Quarter.of(datetime.date(2027, 3, 1)).end
    early = datetime.datetime.combine(
        quarter_end - datetime.timedelta(days=30), datetime.time(9), tzinfo=ZoneInfo("Africa/Nairobi")
    )
    assert reminders.run_reminders(early) == 0
    late = early + datetime.timedelta(days=10)
    assert reminders.run_reminders(late) == 1
    assert reminders.run_reminders(late + datetime.timedelta(hours=1)) == 0  # once only
    run_worker()
    [envelope] = smtp_server.received
    assert envelope.rcpt_tos == [kenya_secretariat.email]
    assert b"No meeting scheduled for Q1 2027" in envelope.content


def test_no_quarter_reminder_when_a_meeting_is_scheduled(kenya, kenya_secretariat):
    day = datetime.datetime(2027, 3, 20, 9, tzinfo=ZoneInfo("Africa/Nairobi"))
    services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q1",
        starts_at=day + datetime.timedelta(days=3),
        ends_at=day + datetime.timedelta(days=3, hours=2),
    )
    assert reminders.run_reminders(day) == 0


def test_invitees_are_reminded_the_day_before(kenya, seat, kenya_secretariat, smtp_server, run_worker):
    fao = seat(kenya, "network", "FAO")
    start = timezone.now() + datetime.timedelta(hours=20)
    meeting = services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Tomorrow's meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    assert reminders.remind_meetings(timezone.now()) == 0  # not circulated: nobody was invited yet
    services.circulate_agenda(by=None, meeting=meeting)
    run_worker()
    smtp_server.envelopes.clear()
    assert reminders.remind_meetings(timezone.now()) == 1
    assert reminders.remind_meetings(timezone.now()) == 0
    run_worker()
    assert [e.rcpt_tos for e in smtp_server.received] == [[fao.email]]
    assert OutboundEmail.objects.filter(topic="reminder").count() == 1


def test_the_task_runs_on_the_worker_and_comes_back_every_hour(kenya, run_worker):
    out = io.StringIO()
    call_command("schedule_reminders", stdout=out)
    call_command("schedule_reminders", stdout=out)
    assert "already scheduled" in out.getvalue()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_worker()
    done = DBTaskResult.objects.get(status="SUCCESSFUL")
    assert done.task_path == "convene.meetings.reminders.send_reminders"
    again = DBTaskResult.objects.get(status="READY")
    assert again.run_after > timezone.now() + datetime.timedelta(minutes=50)
    assert Meeting.objects.count() == 0


def test_a_failing_job_stops_neither_the_others_nor_the_hourly_task(kenya, run_worker, monkeypatch):
    def broken(now):
        raise RuntimeError("broken job")

    def working(now):
        return int(reminders.once("probe"))

    monkeypatch.setattr(periodic, "JOBS", [broken, working])
    with pytest.raises(RuntimeError):
        reminders.run_reminders()
    assert SentReminder.objects.filter(key="probe").exists()  # the other job ran, and was kept
    reminders.schedule_reminders()
    run_worker()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "broken job" in failed.traceback
    again = DBTaskResult.objects.get(status="READY")  # still comes back in an hour
    assert again.run_after > timezone.now() + datetime.timedelta(minutes=50)
