"""Exactly once, however many servers and workers: the hourly task is queued once whoever starts,
runs once per hour whoever picks it up, survives a killed worker; each e-mail is sent once."""

import datetime
import io
import logging
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from convene.core import mail, periodic
from convene.core.models import OutboundEmail, Schedule
from convene.core.testing import Collector, LoopbackController
from convene.meetings import reminders

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TASK = "convene.meetings.reminders.send_reminders"


def at_once(n, fn):
    """Run fn in n threads released together, each on its own database connection."""
    barrier, results, errors = threading.Barrier(n), [], []

    def run():
        from django.db import connection as own

        try:
            barrier.wait()
            results.append(fn())
        except Exception as exc:  # recorded for the assertion below
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a thread is still waiting"
    assert not errors, errors
    return results


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one write transaction at a time, so there is no race")


@pytest.fixture
def probe(monkeypatch):
    """The hourly task's only job: counts its runs."""
    runs = []

    def job(now):
        runs.append(now)
        return 1

    monkeypatch.setattr(periodic, "JOBS", [job])
    return runs


def ready_runs():
    return list(DBTaskResult.objects.filter(task_path=TASK, status="READY").order_by("run_after"))


# The hourly task ------------------------------------------------------------------------------


def test_servers_starting_at_the_same_instant_queue_one_hourly_run():
    needs_postgresql()
    Schedule.objects.create(name=reminders.SCHEDULE)  # as on every start-up after the first
    outputs = at_once(6, lambda: call_command("schedule_reminders", stdout=io.StringIO()) or True)
    assert len(outputs) == 6
    assert len(ready_runs()) == 1


def test_a_start_up_while_a_run_waits_queues_nothing(probe, run_worker):
    assert reminders.schedule_reminders() is True
    assert reminders.schedule_reminders() is False
    run_worker()
    assert len(probe) == 1
    [next_run] = ready_runs()  # the run queued itself an hour later
    assert next_run.run_after > timezone.now() + datetime.timedelta(minutes=55)
    assert reminders.schedule_reminders() is False  # a restart now leaves it be


def test_two_copies_of_the_same_run_run_the_jobs_once(probe, run_worker):
    reminders.schedule_reminders()
    [run] = ready_runs()
    reminders.send_reminders.enqueue(*run.args_kwargs["args"])  # a second copy of the same run
    run_worker()
    assert len(probe) == 1
    assert len(ready_runs()) == 1


def test_two_workers_taking_the_same_run_at_once_run_the_jobs_once(probe):
    needs_postgresql()
    reminders.schedule_reminders()
    [run] = ready_runs()
    slot = run.args_kwargs["args"][0]
    done = at_once(2, lambda: reminders.send_reminders.call(slot))
    assert sorted(done, key=str) == [1, None]
    assert len(probe) == 1
    assert len(ready_runs()) == 2  # the run queued by start-up (still READY here) and the next one
    assert Schedule.objects.get().running_since is None


def test_a_run_queued_by_an_earlier_version_only_schedules(probe, run_worker):
    reminders.send_reminders.enqueue()  # no slot: as queued before schedules existed
    run_worker()
    assert len(probe) == 1  # the run it scheduled ran; nothing ran twice
    assert len(ready_runs()) == 1


def test_a_run_finding_another_one_going_comes_back_later(probe):
    reminders.schedule_reminders()
    [run] = ready_runs()
    Schedule.objects.update(running_since=timezone.now() - datetime.timedelta(minutes=5), holder="other:1")
    assert reminders.send_reminders.call(run.args_kwargs["args"][0]) is None
    assert probe == []
    later = ready_runs()[-1]
    assert later.args_kwargs["args"] == run.args_kwargs["args"]
    assert later.run_after > timezone.now() + datetime.timedelta(minutes=4)


def test_a_run_left_by_a_killed_worker_is_taken_over(probe, caplog):
    reminders.schedule_reminders()
    [run] = ready_runs()
    Schedule.objects.update(running_since=timezone.now() - periodic.LEASE - datetime.timedelta(minutes=1))
    with caplog.at_level(logging.WARNING, logger="convene.core.periodic"):
        assert reminders.send_reminders.call(run.args_kwargs["args"][0]) == 1
    assert "did not finish: taken over" in caplog.text
    assert len(probe) == 1
    row = Schedule.objects.get()
    assert row.running_since is None and row.finished_at is not None


def test_a_failing_job_still_queues_the_next_run(monkeypatch, run_worker):
    def broken(now):
        raise RuntimeError("broken job")

    monkeypatch.setattr(periodic, "JOBS", [broken])
    reminders.schedule_reminders()
    run_worker()
    assert "broken job" in DBTaskResult.objects.get(status="FAILED").traceback
    assert len(ready_runs()) == 1
    assert Schedule.objects.get().running_since is None  # released: the next run is not kept waiting


def test_a_superseded_run_does_nothing(probe):
    reminders.schedule_reminders()
    stale = (timezone.now() - datetime.timedelta(hours=3)).isoformat()
    assert reminders.send_reminders.call(stale) is None
    assert probe == [] and len(ready_runs()) == 1


def test_a_task_a_killed_worker_left_running_is_marked_failed(probe):
    from convene.core import tasks

    reminders.schedule_reminders()
    long_ago = timezone.now() - tasks.ABANDONED_AFTER - datetime.timedelta(minutes=1)
    DBTaskResult.objects.update(status="RUNNING", started_at=long_ago)  # then the worker was killed
    assert tasks.fail_abandoned_tasks(timezone.now() - datetime.timedelta(hours=2)) == 0  # not yet
    assert tasks.fail_abandoned_tasks(timezone.now()) == 1
    abandoned = DBTaskResult.objects.get()
    assert abandoned.status == "FAILED" and abandoned.exception_class_path == "convene.core.tasks.Abandoned"
    assert "stopped" in abandoned.traceback
    assert abandoned.task_result.errors[0].exception_class is tasks.Abandoned  # django-tasks reads it back


# E-mail ----------------------------------------------------------------------------------------


def queue_one(**kwargs):
    with transaction.atomic():
        return mail.queue_email(
            to=["person@example.org"], compose=lambda: mail.Content("Agenda", "Hello"), topic="test", **kwargs
        )


def test_two_deliveries_of_one_message_at_once_send_it_once(smtp_server, monkeypatch):
    needs_postgresql()
    message = queue_one()
    send = mail.send_now

    def slow_send(message):
        time.sleep(0.3)  # the window in which a second delivery would also send it
        return send(message)

    monkeypatch.setattr(mail, "send_now", slow_send)
    done = at_once(2, lambda: mail.deliver_email.call(message.pk, 0))
    assert done == [True, True]
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)


def test_a_claimed_message_cannot_be_claimed_again(smtp_server):
    message = queue_one()
    assert mail.claim(message.pk, 0) is not None
    assert mail.claim(message.pk, 0) is None
    assert mail.deliver_email.call(message.pk, 0) is True  # nothing to do: it is being sent
    assert smtp_server.received == []


def test_retry_now_clicked_twice_queues_one_delivery(settings, client, smtp_server, run_worker, kenya, seat):
    client.force_login(seat(kenya, "secretariat", "IOM", role="secretariat"))
    port = settings.EMAIL_PORT
    smtp_server.controller.stop()
    queue_one(network=kenya)
    run_worker()
    deliveries = DBTaskResult.objects.filter(task_path="convene.core.mail.deliver_email", status="READY")
    assert deliveries.count() == 1  # the retry, in a minute
    client.post("/n/kenya/outbox/")
    client.post("/n/kenya/outbox/")
    assert deliveries.count() == 2  # the retry, and one delivery now
    back = Collector()
    server = LoopbackController(back, port=port)
    server.start()
    try:
        deliveries.update(run_after=timezone.now())
        run_worker()
    finally:
        server.stop()
    assert len(back.received) == 1
    assert OutboundEmail.objects.get().status == "sent"


def test_a_delivery_interrupted_by_a_killed_worker_goes_out_again(smtp_server, run_worker):
    message = queue_one()
    mail.claim(message.pk, 0)  # the worker that claimed it was killed before sending
    DBTaskResult.objects.all().delete()
    later = timezone.now() + mail.STALLED + datetime.timedelta(minutes=1)
    with transaction.atomic():
        assert mail.resume_deliveries(later) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.last_error.startswith("Interrupted while sending")  # shown on the outbox
    run_worker()
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)


def test_a_queued_message_whose_delivery_was_lost_is_queued_again(smtp_server, run_worker):
    queue_one()
    DBTaskResult.objects.all().delete()  # a crash between the commit and the queueing
    with transaction.atomic():
        mail.resume_deliveries(timezone.now())  # too soon to tell from a busy queue
    assert not DBTaskResult.objects.exists()
    with transaction.atomic():
        mail.resume_deliveries(timezone.now() + mail.STALLED + datetime.timedelta(minutes=1))
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert len(smtp_server.received) == 1
