"""Queue e-mail with the change that causes it; deliver it from the worker; retry until it is sent."""

import base64
import binascii
import hashlib
import json
import logging
import smtplib
import socket
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .models import OutboundEmail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12  # about a day and a half of backoff
# Whatever stops a delivery (the server down, a refused login, a misconfigured backend) leaves the
# message queued with the error shown in the outbox, to be retried once the cause is fixed, unless
# retrying cannot help (see `permanent`).
UNDELIVERED = (smtplib.SMTPException, OSError, socket.timeout, ValueError, TypeError, ImportError)
# A message that cannot be built (a line break in a header, a broken attachment) never will be.
UNBUILDABLE = (ValueError, TypeError, UnicodeError, binascii.Error)


def permanent(exc: BaseException) -> bool:
    """Whether retrying cannot cure this delivery error: the server refused the recipient or the
    message for good (an SMTP 5xx). A 4xx, a connection error, a refused login or sender (fixed in
    the settings, then retried from the Outbox) are worth retrying."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, (smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused)):
        return False
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


class Undeliverable(Exception):
    """The message could not be built: no retry will change that."""


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
    # A subject is one header line: a title saved before line breaks were refused must not stop it.
    subject_line = " ".join(subject.split())[:300]
    stored = [
        {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode()}
        for name, content, mimetype in attachments
    ]
    messages = OutboundEmail.objects.bulk_create(
        OutboundEmail(
            network_id=network_id, topic=topic, to=[r], subject=subject_line, body=body, attachments=stored
        )
        for r in recipients
    )
    ids = [m.pk for m in messages]
    transaction.on_commit(lambda: [deliver_email.enqueue(pk) for pk in ids])
    return messages[0]


@dataclass
class Recipient:
    email: str
    name: str = ""
    organisation: str = ""


@dataclass
class Message:
    """A message as it will be sent, built by one function for both the preview and the sending
    (look before you send). Recipients are one per address, as `queue_email` sends them."""

    topic: str
    subject: str
    body: str
    recipients: list[Recipient]
    network_id: int | None = None
    attachment_names: list[str] = field(default_factory=list)

    def __post_init__(self):
        merged: dict[str, Recipient] = {}
        for r in self.recipients:
            address = (r.email or "").strip().lower()
            if not address:
                continue
            known = merged.setdefault(address, Recipient(address, r.name, r.organisation))
            known.name = known.name or r.name
            if r.organisation and r.organisation not in known.organisation.split(", "):
                known.organisation = ", ".join(filter(None, [known.organisation, r.organisation]))
        self.recipients = sorted(merged.values(), key=lambda r: (r.organisation, r.name, r.email))

    @property
    def to(self) -> list[str]:
        return sorted(r.email for r in self.recipients)

    @property
    def fingerprint(self) -> str:
        """Changes when the recipients or the text change: a confirmation sends what was seen."""
        content = json.dumps([self.to, self.subject, self.body, self.attachment_names])
        return hashlib.sha256(content.encode()).hexdigest()[:32]


def queue_message(
    message: Message, *, attachments: list[tuple[str, bytes, str]] = ()
) -> OutboundEmail | None:
    return queue_email(
        to=message.to,
        subject=message.subject,
        body=message.body,
        topic=message.topic,
        network_id=message.network_id,
        attachments=attachments,
    )


def _build(message: OutboundEmail) -> EmailMessage:
    email = EmailMessage(
        subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL, to=message.to
    )
    for a in message.attachments:
        email.attach(a["filename"], base64.b64decode(a["content"]), a["mimetype"])
    email.message()  # builds the headers: a malformed one fails here, for good
    return email


def send_now(message: OutboundEmail) -> bool:
    """One delivery attempt; True when the SMTP server accepted it. An error that retrying cannot
    cure fails the message at once, with the error shown on the Outbox."""
    message.attempts += 1
    try:
        try:
            email = _build(message)
        except UNBUILDABLE as exc:
            raise Undeliverable(exc) from exc
        email.send()
    except (Undeliverable, *UNDELIVERED) as exc:
        final = isinstance(exc, Undeliverable) or permanent(exc)
        cause = exc.__cause__ if isinstance(exc, Undeliverable) else exc
        error = f"{type(cause).__name__}: {cause}"
        if final:
            error = _("Not retried, this cannot succeed: %(error)s") % {"error": error}
        message.last_error = error[:500]
        gave_up = final or message.attempts >= MAX_ATTEMPTS
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
