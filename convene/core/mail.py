"""Queue e-mail with the change that causes it; deliver it from the worker; retry until it is sent.

Each recipient reads a message in their language: a call site hands over `compose()`, which words
it with `_()` and `show_date`, and the queue calls it once per language among the recipients (one
query finds them all) with that language active; `attach()` builds the attached files the same way.
Every copy names the network in its subject, has a plain-text and an HTML part and a footer saying
why the person gets it, and replies go to the network's Secretariat."""

import base64
import binascii
import hashlib
import json
import logging
import re
import smtplib
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from .models import OutboundEmail
from .periodic import periodic

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


@dataclass
class Content:
    """One language's wording of a message: what `compose()` returns, with that language active."""

    subject: str
    text: str
    # An iCalendar invitation (METHOD:REQUEST or CANCEL): sent as a text/calendar alternative part,
    # as Outlook and Google expect, and attached as invite.ics.
    calendar: bytes = b""


class Phrase:
    """A translatable sentence (a `gettext_lazy` text) and its values, worded in the language that
    is active when it is turned into a string: one phrase, as many languages as the readers."""

    def __init__(self, text, /, **values):
        self.text, self.values = text, values

    def __str__(self) -> str:
        text = str(self.text)
        return text % {name: str(value) for name, value in self.values.items()} if self.values else text


@dataclass
class Recipient:
    email: str
    name: str = ""
    organisation: str = ""
    reason: Phrase | None = None  # why this person gets it ("as the principal representative of …")
    language: str = ""  # set by the Message: the language they read it in
    has_account: bool = False  # set by the Message: their address is a person's account


@dataclass
class Outgoing:
    """One recipient's copy, exactly as it is queued."""

    to: str
    language: str
    subject: str
    text: str
    html: str
    calendar: str


DEFAULT_REASON = gettext_lazy("You receive this because of your role in %(network)s.")
NO_NETWORK_REASON = gettext_lazy("You receive this because of your role in a network that works on Convene.")
CHANGE_LANGUAGE = gettext_lazy(
    "To receive these e-mails in another language, choose it on your account page: %(url)s"
)


def shipped(language: str | None) -> bool:
    return bool(language) and language in dict(settings.LANGUAGES)


def languages_of(addresses: list[str], *, default: str) -> dict[str, tuple[str, bool]]:
    """Each address's language (its person's choice, else `default`) and whether it is a person's
    account, in one query however many addresses."""
    people = dict(
        get_user_model()
        .objects.annotate(address=Lower("email"))
        .filter(address__in=addresses)
        .values_list("address", "language")
    )
    return {a: (people[a] if shipped(people.get(a)) else default, a in people) for a in addresses}


@dataclass
class Message:
    """A message and its recipients, built by one function for both the preview and the sending
    (look before you send). `compose()` words it; it is called once per language among the
    recipients, with that language active, so each person reads it in their own language (their
    account's, else the network's default). Recipients are one per address, as it is sent."""

    topic: str
    compose: Callable[[], Content]
    recipients: list[Recipient]
    network: Any = None  # the Network it is sent for (core does not import networks)
    reason: Phrase | None = None  # why, for recipients without their own reason
    attachment_names: list[str] = field(default_factory=list)
    # The attached files (name, content, type), built like `compose()`: once per recipients'
    # language with it active, so a PDF's headings and dates are in the reader's language too.
    # Called only when the message is queued, never for the preview.
    attach: Callable[[], list[tuple[str, bytes, str]]] | None = None

    def __post_init__(self):
        merged: dict[str, Recipient] = {}
        for r in self.recipients:
            address = (r.email or "").strip().lower()
            if not address:
                continue
            known = merged.setdefault(address, Recipient(address, r.name, r.organisation, r.reason))
            known.name = known.name or r.name
            known.reason = known.reason or r.reason
            if r.organisation and r.organisation not in known.organisation.split(", "):
                known.organisation = ", ".join(filter(None, [known.organisation, r.organisation]))
        self.recipients = sorted(merged.values(), key=lambda r: (r.organisation, r.name, r.email))
        default = self.network.language if self.network and shipped(self.network.language) else None
        found = languages_of(list(merged), default=default or settings.LANGUAGE_CODE) if merged else {}
        for r in self.recipients:
            r.language, r.has_account = found[r.email]
        self._contents: dict[str, Content] = {}
        self._subjects: dict[str, str] = {}

    @property
    def network_id(self) -> int | None:
        return self.network.pk if self.network is not None else None

    @property
    def to(self) -> list[str]:
        return sorted(r.email for r in self.recipients)

    def content(self, language: str) -> Content:
        """The message worded in `language` (each language is composed once)."""
        if language not in self._contents:
            with translation.override(language):
                content = self._contents[language] = self.compose()
                # The network's name in the same language as the rest of the subject.
                subject = (
                    f"[{self.network}] {content.subject}" if self.network is not None else content.subject
                )
                self._subjects[language] = " ".join(subject.split())[:300]
        return self._contents[language]

    def subject_line(self, language: str) -> str:
        """The subject names the network; it is one header line (a title saved before line breaks
        were refused must not stop it)."""
        self.content(language)
        return self._subjects[language]

    def _viewer_language(self) -> str:
        language = translation.get_language()
        return language if shipped(language) else settings.LANGUAGE_CODE

    @property
    def subject(self) -> str:
        """The subject in the language of whoever looks at it (the preview)."""
        return self.subject_line(self._viewer_language())

    @property
    def body(self) -> str:
        """The text in the language of whoever looks at it (the preview), without the footer."""
        return self.content(self._viewer_language()).text

    @property
    def languages(self) -> list[tuple[str, str, int]]:
        """(code, name in the viewer's language, how many people) of each language it goes out in."""
        counts: dict[str, int] = {}
        for r in self.recipients:
            counts[r.language] = counts.get(r.language, 0) + 1
        named = [
            (code, translation.get_language_info(code)["name_translated"], n) for code, n in counts.items()
        ]
        return sorted(named, key=lambda x: (-x[2], x[1]))

    @cached_property
    def reply_to(self) -> str:
        """Replies and RSVPs go to the network's Secretariat, never to the sending address."""
        return self.network.secretariat_address() if self.network is not None else ""

    def render(self) -> list[Outgoing]:
        """Every recipient's copy: the text in their language, the subject naming the network, a
        plain-text and an HTML part, and a footer that says why they get it and where to choose
        their language."""
        account_page = settings.CONVENE_BASE_URL + reverse("accounts:settings")
        copies, footers = [], {}
        for r in sorted(self.recipients, key=lambda r: r.email):
            content = self.content(r.language)
            reason = r.reason or self.reason
            key = (r.language, id(reason), r.has_account)
            if key not in footers:
                with translation.override(r.language):
                    footers[key] = self._footer(content, reason, r.has_account, account_page)
            text, html = footers[key]
            calendar = content.calendar.decode() if content.calendar else ""
            copies.append(Outgoing(r.email, r.language, self.subject_line(r.language), text, html, calendar))
        return copies

    def _footer(self, content: Content, reason: Phrase | None, has_account: bool, account_page: str):
        """The text and HTML parts of one language and one reason (the language is active)."""
        if reason is None:
            reason = (
                Phrase(DEFAULT_REASON, network=self.network) if self.network else Phrase(NO_NETWORK_REASON)
            )
        lines = [str(reason)]
        if has_account:
            lines.append(str(CHANGE_LANGUAGE) % {"url": account_page})
        text = f"{content.text.rstrip()}\n\n-- \n" + "\n".join(lines) + "\n"
        html = render_to_string(
            "email/message.html",
            {
                "lang": translation.get_language(),
                "dir": "rtl" if translation.get_language_bidi() else "ltr",
                "subject": self.subject_line(translation.get_language()),
                "text": content.text.strip(),
                "footer": lines,
            },
        )
        return text, html

    @property
    def fingerprint(self) -> str:
        """Changes when what is sent changes (recipients, their languages, any copy's text or
        invitation): a confirmation sends what was seen."""
        copies = [[c.to, c.language, c.subject, c.text, DTSTAMP.sub("", c.calendar)] for c in self.render()]
        content = json.dumps([copies, self.reply_to, self.attachment_names])
        return hashlib.sha256(content.encode()).hexdigest()[:32]


# The time an invitation was generated: not a change of what is sent.
DTSTAMP = re.compile(r"^DTSTAMP:.*\r?\n", re.MULTILINE)


def _attachments(message: Message, language: str) -> list[dict]:
    if message.attach is None:
        return []
    with translation.override(language):
        files = message.attach()
    return [
        {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode()}
        for name, content, mimetype in files
    ]


def queue_message(message: Message) -> OutboundEmail | None:
    """Record one message per recipient (so one bad address stops nobody else), in their
    language with its files in that language, and queue it for the worker once the transaction
    commits."""
    copies = message.render()
    if not copies:
        return None
    files = {language: _attachments(message, language) for language in sorted({c.language for c in copies})}
    messages = OutboundEmail.objects.bulk_create(
        OutboundEmail(
            network_id=message.network_id,
            topic=message.topic,
            to=[c.to],
            language=c.language,
            subject=c.subject,
            body=c.text,
            html=c.html,
            calendar=c.calendar,
            reply_to=message.reply_to,
            attachments=files[c.language],
        )
        for c in copies
    )
    ids = [m.pk for m in messages]
    transaction.on_commit(lambda: [_enqueue(pk, 0) for pk in ids])
    return messages[0]


def queue_email(
    *,
    to: list[str],
    compose: Callable[[], Content],
    topic: str,
    network=None,
    reason: Phrase | None = None,
    attach: Callable[[], list[tuple[str, bytes, str]]] | None = None,
) -> OutboundEmail | None:
    """Queue a message to these addresses, each in their language (see `Message`)."""
    recipients = [Recipient(address) for address in to if address and address.strip()]
    message = Message(
        topic=topic, compose=compose, recipients=recipients, network=network, reason=reason, attach=attach
    )
    return queue_message(message)


def calendar_method(ics: str) -> str:
    found = re.search(r"^METHOD:(\w+)", ics, re.MULTILINE)
    return found[1].upper() if found else "REQUEST"


class _Email(EmailMultiAlternatives):
    """Django's message, with the calendar part's Content-Type written as Outlook expects it:
    `text/calendar; method=REQUEST; charset="utf-8"` (Python's email package would quote the method)."""

    calendar_type = ""

    def message(self):
        msg = super().message()
        for part in msg.walk():
            if self.calendar_type and part.get_content_type() == "text/calendar":
                part.replace_header("Content-Type", self.calendar_type)
        return msg


def _build(message: OutboundEmail) -> EmailMessage:
    """multipart/mixed: a multipart/alternative of the text, the HTML and (an invitation) the
    text/calendar part with its METHOD, then the attachments and the same invitation as invite.ics."""
    email = _Email(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        reply_to=[message.reply_to] if message.reply_to else None,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    if message.calendar:
        method = calendar_method(message.calendar)
        email.calendar_type = f'text/calendar; method={method}; charset="utf-8"'
        email.attach_alternative(message.calendar, "text/calendar")
    for a in message.attachments:
        email.attach(a["filename"], base64.b64decode(a["content"]), a["mimetype"])
    if message.calendar:
        email.attach("invite.ics", message.calendar.encode(), "application/ics")
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


def claim(message_id: int, after: int | None) -> OutboundEmail | None:
    """Take a queued message for sending, in one atomic change of its status: of two deliveries
    at once (two workers, a double click on "Retry now"), one gets it, the other None. `after` is
    how many attempts the message had when this delivery was queued: a delivery overtaken by
    another attempt meanwhile does nothing (the attempt that failed queued its own retry)."""
    waiting = OutboundEmail.objects.filter(pk=message_id, status=OutboundEmail.Status.QUEUED)
    if after is not None:
        waiting = waiting.filter(attempts=after)
    if not waiting.update(status=OutboundEmail.Status.SENDING, claimed_at=timezone.now()):
        return None
    return OutboundEmail.objects.get(pk=message_id)


def _enqueue(message_id: int, attempts: int, when=None) -> None:
    deliver_email.using(run_after=when).enqueue(message_id, attempts)


@task()
def deliver_email(message_id: int, after: int | None = None) -> bool:
    message = claim(message_id, after)
    if message is None:
        return True  # sent, being sent, or retried by another delivery
    if send_now(message):
        return True
    if message.status == OutboundEmail.Status.QUEUED:
        _enqueue(message.pk, message.attempts, message.next_attempt_at)
    return False


def retry_now(*, network_id: int | None) -> int:
    """Queue every message of a network that waits for a later retry for the worker now. A message
    already due has its delivery queued: clicking twice queues nothing more."""
    with transaction.atomic():
        waiting = list(
            OutboundEmail.objects.select_for_update()
            .filter(network_id=network_id, status=OutboundEmail.Status.QUEUED, next_attempt_at__isnull=False)
            .values_list("pk", "attempts")
        )
        OutboundEmail.objects.filter(pk__in=[pk for pk, _n in waiting]).update(next_attempt_at=None)
        transaction.on_commit(lambda: [_enqueue(pk, n) for pk, n in waiting])
    return len(waiting)


INTERRUPTED = gettext_lazy("Interrupted while sending (the worker stopped); sent again.")
# A claim older than this was interrupted: a delivery takes at most EMAIL_TIMEOUT per step.
STALLED = timedelta(minutes=10)


@periodic
def resume_deliveries(now) -> int:
    """Deliveries a killed worker left unfinished go out again (if the SMTP server had already
    accepted the message, it then arrives twice: the one case a claim cannot cover), and a queued
    message whose delivery was lost (a crash between commit and queueing) is queued again."""
    stalled = list(
        OutboundEmail.objects.select_for_update().filter(
            status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALLED
        )
    )
    for message in stalled:
        message.status, message.attempts = OutboundEmail.Status.QUEUED, message.attempts + 1
        message.last_error, message.next_attempt_at = str(INTERRUPTED)[:500], None
        message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    overdue = OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED).filter(
        Q(next_attempt_at__lt=now - STALLED) | Q(next_attempt_at__isnull=True, created_at__lt=now - STALLED)
    )
    again = list(overdue.values_list("pk", "attempts"))
    transaction.on_commit(lambda: [_enqueue(pk, n) for pk, n in again])
    if len(again) > len(stalled):
        log.info("%s queued message(s) without a delivery waiting: queued again", len(again) - len(stalled))
    return len(stalled)  # a delivery queued twice is harmless (claimed once): not counted as done
