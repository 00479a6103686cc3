"""E-mail is never lost: queued with the change, retried while the SMTP server is down, sent once back."""

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from convene.core import mail
from convene.core.models import OutboundEmail
from convene.core.testing import Collector, LoopbackController

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def queue(n, start=0):
    with transaction.atomic():
        for i in range(start, start + n):
            mail.queue_email(
                to=[f"person{i}@example.org"],
                compose=lambda i=i: mail.Content(f"Message {i}", "Hello"),
                topic="test",
                attach=lambda: [("notes.txt", b"Notes", "text/plain")],
            )


def test_messages_survive_an_smtp_outage_and_arrive_once_it_is_back(settings, smtp_server, run_worker):
    queue(2)
    run_worker()
    assert len(smtp_server.received) == 2

    port = settings.EMAIL_PORT
    smtp_server.controller.stop()  # the SMTP server goes down mid-run
    queue(3, start=2)
    run_worker()
    waiting = OutboundEmail.objects.filter(status="queued")
    assert waiting.count() == 3
    assert all(m.attempts == 1 and m.last_error and m.next_attempt_at > timezone.now() for m in waiting)
    # The retries wait in the queue until their time comes.
    assert DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).count() == 3

    back = Collector()
    server = LoopbackController(back, port=port)
    server.start()
    try:
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())  # time passes
        run_worker()
    finally:
        server.stop()
    assert sorted(e.rcpt_tos[0] for e in back.received) == [f"person{i}@example.org" for i in (2, 3, 4)]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert len(smtp_server.received) == 2  # nothing sent twice


def test_retry_now_from_the_outbox_page(settings, client, smtp_server, run_worker, kenya, seat):
    client.force_login(seat(kenya, "secretariat", "IOM", role="secretariat"))
    port = settings.EMAIL_PORT
    smtp_server.controller.stop()
    with transaction.atomic():
        mail.queue_email(
            to=["a@example.org", "b@example.org"],
            compose=lambda: mail.Content("Invitation", "Hi"),
            topic="test",
            network=kenya,
        )
    run_worker()
    page = client.get("/n/kenya/outbox/").content.decode()
    assert "Retry 2 waiting messages now" in page and "ConnectionRefusedError" in page
    back = Collector()
    server = LoopbackController(back, port=port)
    server.start()
    try:
        client.post("/n/kenya/outbox/")  # queues them for the worker; the request sends nothing
        assert back.received == []
        run_worker()
    finally:
        server.stop()
    assert sorted(e.rcpt_tos[0] for e in back.received) == ["a@example.org", "b@example.org"]
    assert "Retry" not in client.get("/n/kenya/outbox/?status=sent").content.decode()


def test_giving_up_after_many_attempts_is_visible(settings, smtp_server):
    smtp_server.controller.stop()
    queue(1)
    message = OutboundEmail.objects.get()
    for _ in range(mail.MAX_ATTEMPTS):
        mail.send_now(message)
    assert message.status == "failed" and message.attempts == mail.MAX_ATTEMPTS
    assert "Error" in message.last_error or "refused" in message.last_error.lower()


def test_a_misconfigured_mail_backend_keeps_the_message_with_the_error(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = None
    queue(1)
    message = OutboundEmail.objects.get()
    assert mail.send_now(message) is False
    assert message.status == "queued" and "TypeError" in message.last_error and message.next_attempt_at


def test_a_permanent_refusal_is_not_retried_and_a_temporary_one_is(
    client, smtp_server, run_worker, kenya, seat
):
    smtp_server.refuse = {
        "gone@example.org": "550 5.1.1 No such user",
        "busy@example.org": "451 4.3.0 Try later",
    }
    with transaction.atomic():
        mail.queue_email(
            to=["gone@example.org", "busy@example.org", "fine@example.org"],
            compose=lambda: mail.Content("Invitation", "Hi"),
            topic="test",
            network=kenya,
        )
    run_worker()
    by_address = {m.to[0]: m for m in OutboundEmail.objects.all()}
    gone, busy, fine = (by_address[a] for a in ("gone@example.org", "busy@example.org", "fine@example.org"))
    assert (gone.status, gone.attempts, gone.next_attempt_at) == ("failed", 1, None)
    assert "Not retried" in gone.last_error and "550" in gone.last_error
    assert busy.status == "queued" and busy.attempts == 1 and busy.next_attempt_at > timezone.now()
    assert "451" in busy.last_error
    assert fine.status == "sent"
    # Only the temporary refusal waits for another attempt.
    assert DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).count() == 1

    client.force_login(seat(kenya, "secretariat", "IOM", role="secretariat"))
    page = client.get("/n/kenya/outbox/?status=failed").content.decode()
    assert "gone@example.org" in page and "No such user" in page and "Not retried" in page


def test_a_message_that_cannot_be_built_fails_at_once_with_its_error(smtp_server):
    queue(1)
    message = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=message.pk).update(subject="Q3 meeting\r\nBcc: everyone@example.org")
    message.refresh_from_db()
    assert mail.send_now(message) is False
    assert message.status == "failed" and message.attempts == 1 and message.next_attempt_at is None
    assert "BadHeaderError" in message.last_error and "Not retried" in message.last_error
    assert smtp_server.received == []


def test_a_subject_is_queued_on_one_line(smtp_server):
    with transaction.atomic():
        mail.queue_email(
            to=["a@example.org"], compose=lambda: mail.Content("Q3\r\nmeeting\tnotes", "Hi"), topic="test"
        )
    assert OutboundEmail.objects.get().subject == "Q3 meeting notes"
