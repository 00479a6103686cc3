"""Proposals put to a deciding body, the positions its members take, the decisions it adopts (a
numbered, immutable register), escalations to the UNCT, and the action items that follow up."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from convene.core.dates import show_date
from convene.core.models import TimeStampedModel
from convene.library.models import Document
from convene.meetings.models import AgendaItem, Meeting, MinutesItem
from convene.networks.models import Body, Membership, Network, Organisation, Rule


class Proposal(TimeStampedModel):
    """A matter put to the body that decides it: at a meeting, or by written (silence) procedure."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("Decision of the network")
        ADMIT_MEMBER = "admit_member", _("Admit a new member")
        ESTABLISH_WORKING_GROUP = "establish_working_group", _("Establish a working group")
        CHANGE_WORKING_GROUP = "change_working_group", _("Change a working group")
        ABOLISH_WORKING_GROUP = "abolish_working_group", _("Abolish a working group")
        SELECT_CO_CHAIRS = "select_co_chairs", _("Select a working group's co-chairs")

    class Procedure(models.TextChoices):
        MEETING = "meeting", _("At a meeting")
        WRITTEN = "written", _("Written (silence) procedure")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for positions")
        ADOPTED = "adopted", _("Adopted")
        ESCALATED = "escalated", _("Tabled to the UNCT")
        NOT_ADOPTED = "not_adopted", _("Not adopted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DEFERRED = "deferred", _("Deferred")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="proposals")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("deciding body")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text of the decision"), help_text=_("What the body is asked to decide."))
    rationale = models.TextField(_("rationale"), blank=True)
    topic = models.CharField(_("topic"), max_length=80, blank=True)
    procedure = models.CharField(
        _("procedure"), max_length=10, choices=Procedure.choices, default=Procedure.MEETING
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("meeting")
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline = models.DateTimeField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("Written procedure: adopted at this time unless a member objects."),
    )
    # What a charter decision changes when adopted (the subject of a kind other than general).
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    working_group = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="subject_of_proposals"
    )
    payload = models.JSONField(default=dict, blank=True)
    amends = models.ForeignKey(
        "Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("amends"),
    )
    supersedes = models.ForeignKey(
        "Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supersedes"),
    )
    documents = models.ManyToManyField(Document, blank=True, related_name="proposals")
    # Asked of every proposal where the charter makes a consultation on state matters mandatory
    # (Kazakhstan: the Ministry of Labour); None where the charter has no such rule.
    concerns_state = models.BooleanField(_("concerns the state"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_note = models.CharField(_("note on the outcome"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def pending_escalation(self):
        return next((e for e in self.escalations.all() if e.outcome == Escalation.Outcome.PENDING), None)


class Consultation(TimeStampedModel):
    """A consultation the charter requires (Kazakhstan: the Ministry of Labour on matters of the
    state), on a proposal before it is decided or on another text before the network speaks (a
    statement: `subject` keeps the text put to the organisation)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="consultations")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="consultations"
    )
    # Without a proposal: {"title", "kind", "version", "authoritative_language",
    # "texts": {language: {"title", "text"}}}, the text as put to the organisation.
    subject = models.JSONField(default=dict, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(Rule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("consultation"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    consulted_on = models.DateField(_("consulted on"), null=True, blank=True)
    consulted = models.CharField(_("who spoke for it"), max_length=200, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False) | ~Q(subject={}), name="consultation_has_a_subject"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def subject_title(self) -> str:
        return self.proposal.title if self.proposal_id else self.subject.get("title", "")

    @property
    def is_open(self) -> bool:
        """Answerable: pending, on a proposal still open (a statement's is withdrawn with it)."""
        return self.status == self.Status.PENDING and (self.proposal_id is None or self.proposal.is_open)


class FocalPointQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True, person__is_active=True)


class FocalPoint(TimeStampedModel):
    """A person of an organisation the charter says to consult (Kazakhstan: the Ministry of Labour)
    designated by the Secretariat to answer the consultations put to it, and nothing else."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="focal_points")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focal_points"
    )
    designated_on = models.DateField(_("designated on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = FocalPointQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__acronym", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation", "person"],
                condition=Q(ended_on__isnull=True),
                name="focal_point_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"


class Position(TimeStampedModel):
    """One seat per member organisation of the deciding body, whoever of its representatives speaks."""

    class Stance(models.TextChoices):
        AGREE = "agree", _("Agrees")
        STAND_ASIDE = "stand_aside", _("Stands aside")
        OBJECT = "object", _("Objects")

    class Channel(models.TextChoices):
        DIRECT = "direct", _("Recorded by the representative")
        MEETING = "meeting", _("Given orally in a meeting")
        EMAIL = "email", _("Given by e-mail")
        OTHER = "other", _("Given otherwise")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="positions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(_("position"), max_length=12, choices=Stance.choices)
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("given"), max_length=10, choices=Channel.choices, default=Channel.DIRECT)

    class Meta:
        ordering = ["organisation__acronym"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "organisation"], name="position_one_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_stance_display()}"

    @property
    def on_behalf(self) -> bool:
        return self.channel != self.Channel.DIRECT


class DecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("An adopted decision cannot be changed; adopt a new one that amends it."))


class Decision(models.Model):
    """An adopted decision: numbered per network and year, and never changed once written.

    A later decision amends or supersedes it; the register shows the links both ways."""

    class AdoptedBy(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        SILENCE = "silence", _("Consensus (silence procedure)")
        UNCT = "unct", _("The UNCT, after escalation")
        RECORDED = "recorded", _("Taken elsewhere, recorded by the Secretariat")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="decisions")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decision")
    number = models.CharField(_("number"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    topic = models.CharField(_("topic"), max_length=80, blank=True)
    adopted_at = models.DateTimeField(_("adopted at"))
    adopted_by = models.CharField(_("how adopted"), max_length=10, choices=AdoptedBy.choices)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A decision the body took elsewhere (not through a proposal here), recorded by the Secretariat:
    # the body's own reference and the evidence of it.
    reference = models.CharField(
        _("the body's reference"), max_length=100, blank=True, help_text=_("Its number or minute.")
    )
    evidence = models.CharField(
        _("evidence"), max_length=500, blank=True, help_text=_("Where it is written: a note or a link.")
    )
    evidence_document = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evidence document"),
    )
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amended_by",
        verbose_name=_("amends"),
    )
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["network", "year", "sequence"], name="decision_number_unique"),
            models.UniqueConstraint(fields=["network", "number"], name="decision_number_text_unique"),
        ]
        indexes = [models.Index(fields=["network", "-adopted_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("An adopted decision cannot be changed; adopt a new one that amends it."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An adopted decision cannot be deleted."))

    @property
    def is_recorded(self) -> bool:
        """Taken by the body elsewhere and recorded here, rather than decided on a proposal here."""
        return self.adopted_by == self.AdoptedBy.RECORDED

    @property
    def provenance(self) -> str:
        if self.is_recorded:
            return _("Recorded by the Secretariat: decided by %(body)s on %(date)s (ref. %(ref)s)") % {
                "body": self.body.name,
                "date": show_date(self.network.today(self.adopted_at)),
                "ref": self.reference,
            }
        return _("Decided by proposal %(number)s") % {"number": self.number}


class Escalation(TimeStampedModel):
    """A matter on which consensus was not reached, tabled to the body the charter names (the UNCT)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending at the UNCT")
        ADOPTED = "adopted", _("Adopted by the UNCT")
        NOT_ADOPTED = "not_adopted", _("Not adopted by the UNCT")
        RETURNED = "returned", _("Returned to the network")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="escalations")
    to_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="escalations")
    tabled_on = models.DateField(_("tabled on"))
    unct_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("UNCT meeting"),
    )
    unct_meeting_note = models.CharField(
        _("UNCT meeting"), max_length=200, blank=True, help_text=_("When the meeting is not kept here.")
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    unct_decision = models.TextField(_("the UNCT's decision"), blank=True)

    class Meta:
        ordering = ["-tabled_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(outcome="pending"), name="escalation_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} → {self.to_body}"


class ActionItemQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(status__in=ActionItem.UNFINISHED)


class ActionItem(TimeStampedModel):
    """Follow-up of a decision or of minutes, owned by an organisation (and a person in it)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")
        CANCELLED = "cancelled", _("Cancelled")

    UNFINISHED = (Status.OPEN, Status.IN_PROGRESS, Status.BLOCKED)

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="action_items")
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="action_items"
    )
    minutes_item = models.ForeignKey(
        MinutesItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner organisation")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["network", "status", "due_date"]),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False) | ~Q(status="done"),
                name="action_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unfinished(self) -> bool:
        return self.status in self.UNFINISHED


class ActionUpdate(models.Model):
    """A progress update (possibly changing the status) or a comment on an action item."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("update"))
    status = models.CharField(_("new status"), max_length=12, choices=ActionItem.Status.choices, blank=True)
    is_comment = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
