"""Queue e-mail with the change that causes it; deliver it from the worker; retry until it is sent."""

import base64
import logging
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import OutboundEmail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12  # about a day and a half of backoff
# Whatever stops a delivery (the server down, a refused login, a misconfigured backend) leaves the
# message queued with the error shown in the outbox, to be retried once the cause is fixed.
UNDELIVERED = (smtplib.SMTPException, OSError, socket.timeout, ValueError, TypeError, ImportError)


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 240))


def queue_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    topic: str,
    network_id: int | None = None,
    attachments: list[tuple[str, bytes, str]] = (),
) -> OutboundEmail | None:
    """Record a message (one per recipient, so one bad address stops nobody else) and queue it."""
    recipients = sorted({address.strip().lower() for address in to if address and address.strip()})
    if not recipients:
        return None
    stored = [
        {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode()}
        for name, content, mimetype in attachments
    ]
    messages = OutboundEmail.objects.bulk_create(
        OutboundEmail(
            network_id=network_id, topic=topic, to=[r], subject=subject[:300], body=body, attachments=stored
        )
        for r in recipients
    )
    ids = [m.pk for m in messages]
    transaction.on_commit(lambda: [deliver_email.enqueue(pk) for pk in ids])
    return messages[0]


def send_now(message: OutboundEmail) -> bool:
    """One delivery attempt; True when the SMTP server accepted it."""
    email = EmailMessage(
        subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL, to=message.to
    )
    for a in message.attachments:
        email.attach(a["filename"], base64.b64decode(a["content"]), a["mimetype"])
    message.attempts += 1
    try:
        email.send()
    except UNDELIVERED as exc:
        message.last_error = f"{type(exc).__name__}: {exc}"[:500]
        gave_up = message.attempts >= MAX_ATTEMPTS
        message.status = OutboundEmail.Status.FAILED if gave_up else OutboundEmail.Status.QUEUED
        message.next_attempt_at = None if gave_up else timezone.now() + backoff(message.attempts)
        message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        log.warning("E-mail %s not sent (attempt %s): %s", message.pk, message.attempts, message.last_error)
        return False
    message.status, message.sent_at, message.last_error = OutboundEmail.Status.SENT, timezone.now(), ""
    message.next_attempt_at = None
    message.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])
    return True


@task()
def deliver_email(message_id: int) -> bool:
    message = OutboundEmail.objects.filter(pk=message_id, status=OutboundEmail.Status.QUEUED).first()
    if message is None:
        return True  # already sent by an earlier run
    if send_now(message):
        return True
    if message.status == OutboundEmail.Status.QUEUED:
        deliver_email.using(run_after=message.next_attempt_at).enqueue(message.pk)
    return False


def retry_now(*, network_id: int | None) -> int:
    """Queue every waiting message of a network for the worker now, rather than at its retry time."""
    waiting = list(
        OutboundEmail.objects.filter(network_id=network_id, status=OutboundEmail.Status.QUEUED).values_list(
            "pk", flat=True
        )
    )
    OutboundEmail.objects.filter(pk__in=waiting).update(next_attempt_at=None)
    transaction.on_commit(lambda: [deliver_email.enqueue(pk) for pk in waiting])
    return len(waiting)
