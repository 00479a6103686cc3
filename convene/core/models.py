"""The audit trail: one row for every create, update and delete, written by the service that acts."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ChangeLog(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        ADMIN = "admin", _("Admin")
        COMMAND = "command", _("Command")
        WORKER = "worker", _("Worker")

    timestamp = models.DateTimeField(auto_now_add=True, db_index=True)
    # Network is referenced by id only: core sits below networks and must not import it.
    network_id = models.BigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["network_id", "-timestamp"]),
            # The network's newest row, its change counter (core/fragments.py), in one index probe.
            models.Index(fields=["network_id", "id"], name="core_changelog_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class OutboundEmail(models.Model):
    """Every e-mail the product sends: queued in the same transaction as the change that causes it,
    delivered by the task worker, retried while the SMTP server is unreachable. Nothing is lost."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (gave up)")

    network_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    topic = models.CharField(max_length=40, help_text=_("What the message is about, e.g. invitation."))
    to = models.JSONField(default=list)
    # The language the message was written in for this recipient (theirs, else the network's).
    language = models.CharField(max_length=10, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()  # the plain-text part
    html = models.TextField(blank=True)  # the HTML part (empty in messages queued before it existed)
    # An iCalendar invitation (METHOD:REQUEST or CANCEL): sent as an alternative part and as invite.ics.
    calendar = models.TextField(blank=True)
    reply_to = models.CharField(max_length=254, blank=True)
    # [{"filename": ..., "mimetype": ..., "content": base64}] — small files only (calendar, lists).
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed it for sending (status SENDING): a claim this old was interrupted.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)[:80]}"


class SentReminder(models.Model):
    """One row per reminder sent, so a reminder goes out once however often the check runs."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class Schedule(models.Model):
    """A periodic task's state, one row per task. Only the server that moves `next_run` forward
    queues the task, so scheduling is idempotent however many servers start at once; only the
    worker that takes the row runs it, so runs never overlap; a run whose worker died is taken
    over once its lease has expired."""

    name = models.CharField(max_length=100, primary_key=True)
    next_run = models.DateTimeField(null=True, blank=True)  # the one run waiting in the queue
    last_run = models.DateTimeField(null=True, blank=True)  # the run started last
    running_since = models.DateTimeField(null=True, blank=True)
    holder = models.CharField(max_length=200, blank=True)  # host:pid:run of the worker running it
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
