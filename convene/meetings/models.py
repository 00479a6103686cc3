"""Meetings of a network's bodies, their series and agendas."""

import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.core.models import TimeStampedModel
from convene.networks.models import Body, Network, Organisation


class MeetingSeries(TimeStampedModel):
    """A recurrence such as “quarterly, second Tuesday of the last month”; each occurrence is a Meeting."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meeting_series")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meeting_series")
    title = models.CharField(_("title"), max_length=200)
    rrule = models.CharField(_("recurrence rule"), max_length=300, help_text=_("RFC 5545 RRULE"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return self.title


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).exclude(status=Meeting.Status.CANCELLED)


class Meeting(TimeStampedModel):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular (quarterly)")
        EXTRAORDINARY = "extraordinary", _("Extraordinary")
        ANNUAL = "annual", _("Annual meeting")
        WORKING_GROUP = "working_group", _("Working group")
        AD_HOC = "ad_hoc", _("Ad hoc")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Agenda circulated")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    timezone = models.CharField(_("time zone"), max_length=64)
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    unct_meeting = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_with",
        verbose_name=_("held with UNCT meeting"),
    )
    called_by = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("called by"),
        help_text=_("For an extraordinary meeting: the body that called it."),
    )
    call_reason = models.TextField(_("why it was called"), blank=True)
    external_stakeholders = models.TextField(
        _("invited stakeholders"), blank=True, help_text=_("Beyond the members, e.g. at the annual meeting.")
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # Calendar identity: the UID never changes; SEQUENCE grows with every change sent out.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    agenda_circulated_at = models.DateTimeField(_("agenda circulated"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["network", "starts_at"]), models.Index(fields=["body", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.local_start:%Y-%m-%d})"

    @property
    def zone(self) -> ZoneInfo:
        """The meeting's wall clock: the network's zone when it was scheduled."""
        return ZoneInfo(self.timezone)

    @property
    def local_start(self):
        """The start in the network's zone (stored in UTC): the day people know the meeting by."""
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)


class AgendaItem(TimeStampedModel):
    class Kind(models.TextChoices):
        INFORMATION = "information", _("For information")
        DISCUSSION = "discussion", _("For discussion")
        DECISION = "decision", _("For decision")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("On the agenda")
        PROPOSED = "proposed", _("Suggested")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    presenter = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("presented by"),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("time allotted (minutes)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.CharField(_("reason declined"), max_length=300, blank=True)
    documents = models.ManyToManyField(
        "library.Document", blank=True, related_name="agenda_items", verbose_name=_("papers")
    )
    previous_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For “approval of the minutes of the previous meeting”."),
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A person's private calendar subscription address; the secret token can be replaced at any time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class Attendance(models.Model):
    """Who represented a member organisation at a meeting, or that it sent apologies or was absent."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        APOLOGIES = "apologies", _("Apologies")
        ABSENT = "absent", _("Absent")

    class Capacity(models.TextChoices):
        PRINCIPAL = "principal", _("Principal")
        ALTERNATE = "alternate", _("Alternate")
        DESIGNATE = "designate", pgettext_lazy("attends in place of a representative", "Designate")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    capacity = models.CharField(_("capacity"), max_length=10, choices=Capacity.choices, blank=True)
    designate_name = models.CharField(_("designate's name"), max_length=150, blank=True)

    class Meta:
        ordering = ["organisation__acronym"]
        constraints = [models.UniqueConstraint(fields=["meeting", "organisation"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_status_display()}"


class Minutes(TimeStampedModel):
    """The record of a meeting: draft → circulated for comments → approved → disseminated.

    Approved minutes never change; a correction is a new version that points at the one it corrects.
    Circulated minutes are revised the same way: the new draft points at the circulated version,
    which is kept, with its comments, as revised.
    `revision` guards against lost updates when two people edit the same draft.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for comments")
        APPROVED = "approved", _("Approved")
        DISSEMINATED = "disseminated", _("Disseminated")
        REVISED = "revised", _("Revised (a later version answers the comments)")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    revision = models.PositiveIntegerField(default=0, editable=False)
    comment_deadline = models.DateField(_("comments by"), null=True, blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved at the meeting"),
    )
    approval_note = models.CharField(_("how approved"), max_length=300, blank=True)
    disseminated_at = models.DateTimeField(null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("corrects version"),
    )

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name_plural = _("minutes")
        constraints = [models.UniqueConstraint(fields=["meeting", "version"], name="minutes_version_unique")]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting.title} (v{self.version})"

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.DISSEMINATED)


class MinutesItem(models.Model):
    """Notes against one agenda item, with what was decided and the action points agreed.

    Decisions and action items become records of their own in the decisions capability, which
    points back at the item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    agenda_item = models.ForeignKey(AgendaItem, null=True, on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    decisions = models.TextField(_("decisions taken"), blank=True)
    action_points = models.TextField(_("action points agreed"), blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class MinutesComment(models.Model):
    """A member's comment on circulated minutes; seen by the Secretariat and its author."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"
