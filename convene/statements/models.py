"""Speaking with one voice: statements drafted in versions, cleared by every agency seat of the
body that must clear them (explicitly or by silence), signed off and issued with a signatory line
generated from the seats that cleared, and the record of where they were delivered. Releases: the
recorded agreement (a clearance by the same engine, or a decision) that makes a record public."""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from convene.core.models import TimeStampedModel
from convene.decisions.models import ActionItem, Consultation, Decision, Proposal
from convene.networks.models import Body, Network, Organisation
from convene.workplans.models import GcmObjective

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class Statement(TimeStampedModel):
    """A text the network (or one of its working groups) speaks with one voice."""

    class Kind(models.TextChoices):
        JOINT_STATEMENT = "joint_statement", _("Joint statement")
        COMMON_POSITION = "common_position", _("Common position")
        TALKING_POINTS = "talking_points", _("Talking points for a briefing")
        PRESS_RELEASE = "press_release", _("Press release")

    class Audience(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        GOVERNMENT = "government", _("The Government")
        PUBLIC = "public", _("The public")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CLEARANCE = "clearance", _("In clearance")
        CLEARED = "cleared", _("Cleared")
        NO_CONSENSUS = "no_consensus", _("No consensus")
        ISSUED = "issued", _("Issued")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Voice(models.TextChoices):
        NETWORK = "network", _("In the name of the network")
        UNDERSIGNED = "undersigned", _("In the name of the undersigned agencies")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="statements")
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("in the name of"),
        help_text=_("The network, or the working group whose own statement it is."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JOINT_STATEMENT)
    title = models.CharField(_("title"), max_length=300)
    occasion = models.CharField(_("occasion"), max_length=300, blank=True)
    occasion_date = models.DateField(_("date of the occasion"), null=True, blank=True)
    audience = models.CharField(
        _("audience"), max_length=12, choices=Audience.choices, default=Audience.INTERNAL
    )
    gcm_objectives = models.ManyToManyField(
        GcmObjective, blank=True, related_name="statements", verbose_name=_("GCM objectives")
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        verbose_name=_("decision it comes from"),
    )
    # Without consensus, where the charter sends a matter on (Kenya: the UNCT): the matter as tabled.
    tabled = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tabled as"),
    )
    # Where the charter lets a smaller body clear (Kenya: the Executive Committee), a statement in
    # the name of the whole network is cleared by every member instead.
    network_wide = models.BooleanField(
        _("cleared by every member"),
        default=False,
        help_text=_("A statement in the name of the whole network: every member clears it."),
    )
    # Where the charter makes consulting a ministry on matters of the state mandatory (Kazakhstan:
    # the Ministry of Labour), the drafter says whether the statement is one; yes puts its text to
    # the ministry when it goes to clearance, and sign-off waits for the answer.
    concerns_state = models.BooleanField(_("concerns the state"), null=True, blank=True)
    consultations = models.ManyToManyField(Consultation, blank=True, related_name="statements")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    voice = models.CharField(_("issued"), max_length=12, choices=Voice.choices, default=Voice.NETWORK)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    # The signatories as issued: the network's name (every required seat cleared) or the agencies
    # that cleared, in order; dissociations are kept in the clearance record, never named here.
    signatories = models.ManyToManyField(Organisation, blank=True, related_name="+")
    signed_by_network = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.ISSUED, self.Status.WITHDRAWN)


class VersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("A version cannot be changed; make a new one."))


class Version(models.Model):
    """One immutable wording of a statement, in one or several languages (one authoritative)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    # {language: {"title": …, "text": …}}: paragraphs are separated by a blank line.
    texts = models.JSONField(_("texts"))
    authoritative_language = models.CharField(_("authoritative language"), max_length=10)
    editorial = models.BooleanField(
        _("editorial change"),
        default=False,
        help_text=_("Wording only: the clearances already given still count."),
    )
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "number"], name="statement_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.statement} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A version cannot be changed; make a new one."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A version cannot be deleted."))

    @property
    def languages(self) -> list[str]:
        """The authoritative language first, then the others."""
        return sorted(self.texts, key=lambda code: (code != self.authoritative_language, code))

    def text_in(self, language: str) -> dict:
        return self.texts.get(language) or self.texts[self.authoritative_language]

    def paragraphs(self, language: str) -> list[str]:
        return [p.strip() for p in PARAGRAPH_BREAK.split(self.text_in(language)["text"]) if p.strip()]


class Release(TimeStampedModel):
    """The recorded agreement that makes an internal record (a document, approved minutes, a
    decision, an issued report, a statement) public: agreed by the seats that own it through a
    clearance round, or by a decision. Released records are what the public page shows; a release
    can be withdrawn."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed for release")
        CLEARANCE = "clearance", _("In clearance")
        RELEASED = "released", _("Released")
        NOT_AGREED = "not_agreed", _("Not agreed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    LIVE = (Status.PROPOSED, Status.CLEARANCE, Status.RELEASED)

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="releases")
    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, help_text=_("What the public page says of it."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agreed by decision"),
    )
    # A document made public before Convene kept its agreements: who agreed, and when, as written then.
    agreed_before = models.CharField(
        _("agreed before Convene"),
        max_length=300,
        blank=True,
        help_text=_("The agreement to make it public given before Convene recorded agreements."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("why it was withdrawn"), max_length=500, blank=True)

    class Meta:
        ordering = ["-released_at", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"],
                condition=Q(status__in=["proposed", "clearance", "released"]),
                name="release_one_live_per_record",
            )
        ]
        indexes = [models.Index(fields=["network", "status", "-released_at"])]

    def __str__(self) -> str:
        return self.title


class Round(models.Model):
    """A clearance round: a text put to every agency seat of a body, until a deadline in the
    network's time. Explicit: every seat answers. Silence: a seat that has not objected by the
    deadline is deemed to have cleared. It clears a statement's version or a proposed release."""

    class Procedure(models.TextChoices):
        EXPLICIT = "explicit", _("Explicit clearance")
        SILENCE = "silence", _("Silence procedure")

    class Outcome(models.TextChoices):
        OPEN = "", _("Open")
        CLEARED = "cleared", _("Cleared")
        NO_CONSENSUS = "no_consensus", _("No consensus")
        VOIDED = "voided", _("Voided by a new version")

    statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.CASCADE, related_name="rounds"
    )
    # The version under clearance; an editorial version takes the round over with its answers.
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.PROTECT, related_name="rounds"
    )
    release = models.ForeignKey(
        Release, null=True, blank=True, on_delete=models.CASCADE, related_name="rounds"
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("cleared by"))
    procedure = models.CharField(
        _("procedure"), max_length=10, choices=Procedure.choices, default=Procedure.SILENCE
    )
    deadline = models.DateTimeField(_("deadline"))
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["statement"], condition=Q(outcome=""), name="round_one_open"),
            models.UniqueConstraint(
                fields=["release"], condition=Q(outcome=""), name="release_round_one_open"
            ),
            models.CheckConstraint(
                condition=Q(statement__isnull=False, version__isnull=False, release__isnull=True)
                | Q(statement__isnull=True, version__isnull=True, release__isnull=False),
                name="round_clears_one_thing",
            ),
        ]
        indexes = [models.Index(fields=["outcome", "deadline"])]

    def __str__(self) -> str:
        return f"{self.statement or self.release} ({self.get_procedure_display()})"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN

    @property
    def subject(self):
        """What it clears: a statement (its version) or a release."""
        return self.statement if self.statement_id else self.release


class Clearance(models.Model):
    """One agency seat's answer in a round: one organisation, one answer, given by its principal or
    alternate, or recorded by the Secretariat from an e-mail or a call (marked so)."""

    class Answer(models.TextChoices):
        PENDING = "", _("Awaited")
        CLEARED = "cleared", _("Cleared")
        COMMENTS = "comments", _("Cleared with comments")
        OBJECTS = "objects", _("Objects")
        DISSOCIATES = "dissociates", _("Dissociates")
        SILENCE = "silence", _("Deemed cleared by silence")
        NO_ANSWER = "no_answer", _("No answer")

    class Channel(models.TextChoices):
        DIRECT = "direct", _("Given by the representative")
        EMAIL = "email", _("Given by e-mail")
        PHONE = "phone", _("Given by phone")
        MEETING = "meeting", _("Given in a meeting")

    # Answers that join the statement (the seat is a signatory).
    JOINS = (Answer.CLEARED, Answer.COMMENTS, Answer.SILENCE)
    # Answers a person gives (the others the round records at its close).
    GIVEN = (Answer.CLEARED, Answer.COMMENTS, Answer.OBJECTS, Answer.DISSOCIATES)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="clearances")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices, blank=True)
    comment = models.TextField(_("comment or reason"), blank=True)
    # The version the answer was given on (an editorial version carries it over).
    version = models.ForeignKey(Version, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("given"), max_length=10, choices=Channel.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__acronym", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="clearance_one_per_seat")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_answer_display()}"

    @property
    def joins(self) -> bool:
        return self.answer in self.JOINS

    @property
    def on_behalf(self) -> bool:
        return bool(self.channel) and self.channel != self.Channel.DIRECT


class Comment(models.Model):
    """A member's comment on one paragraph of a version."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="comments")
    language = models.CharField(_("language"), max_length=10)
    paragraph = models.PositiveSmallIntegerField(_("paragraph"))
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paragraph", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class SignOff(models.Model):
    """The sign-off of the cleared version by one of those the charter names (Kazakhstan: each
    co-chair; Kenya: the Coordinator)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="sign_offs")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="sign_offs")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "organisation"], name="sign_off_one_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.version})"


class Delivery(TimeStampedModel):
    """Where an issued statement was delivered, by whom, to whom; and what follows from it."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="deliveries")
    delivered_on = models.DateField(_("delivered on"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("delivered by")
    )
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    occasion = models.CharField(_("where"), max_length=300, help_text=_("The forum, meeting or briefing."))
    recipients = models.CharField(_("to whom"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    action_items = models.ManyToManyField(ActionItem, blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.statement} — {self.occasion}"
