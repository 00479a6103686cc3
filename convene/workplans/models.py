"""Annual workplans of a network or a working group, their activities tagged to the GCM, the SDGs and
the UNSDCF, with indicators and quarterly progress; and the reference lists the tags come from."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.core.models import TimeStampedModel
from convene.core.translation import Translated
from convene.decisions.models import Decision, Proposal
from convene.networks.models import Body, Network, Organisation

# Reference lists, loaded from reference/ by a data migration -------------------------------------


class GcmObjective(Translated, models.Model):
    """One of the 23 objectives of the Global Compact for Migration (A/RES/73/195, para. 16)."""

    TRANSLATED_FIELDS = ("title", "short_label")

    number = models.PositiveSmallIntegerField(unique=True)
    code = models.CharField(max_length=10, unique=True)
    title = models.CharField(max_length=300)
    short_label = models.CharField(max_length=80)
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.tr.short_label}"


class GuidingPrinciple(Translated, models.Model):
    """One of the 10 guiding principles of the GCM (para. 15)."""

    TRANSLATED_FIELDS = ("name", "summary")

    order = models.PositiveSmallIntegerField(unique=True)
    key = models.SlugField(max_length=40, unique=True)
    paragraph = models.CharField(max_length=10)
    name = models.CharField(max_length=120)
    summary = models.CharField(max_length=300, blank=True)
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.tr.name


class SdgTarget(Translated, models.Model):
    """A migration-relevant SDG target (the reference list), tagged on activities."""

    TRANSLATED_FIELDS = ("goal_title", "text")

    code = models.CharField(max_length=8, unique=True)
    goal = models.PositiveSmallIntegerField()
    goal_title = models.CharField(max_length=120)
    text = models.CharField(max_length=400)
    relation = models.CharField(max_length=10, help_text=_("direct or related"))
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["goal", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.tr.text[:60]}"


# Workplans ---------------------------------------------------------------------------------------


class Workplan(TimeStampedModel):
    """One per network per year, and one per working group per year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", pgettext_lazy("a workplan", "Adopted")
        UNDER_REVIEW = "under_review", _("Under review")
        CLOSED = "closed", _("Closed")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="workplans")
    working_group = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="workplans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    proposal = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposal"),
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("adopted by decision"),
    )
    approval_note = models.CharField(
        _("approval"),
        max_length=300,
        blank=True,
        help_text=_("How it was approved, without a decision record."),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    consultation_opened_at = models.DateTimeField(
        _("members consulted from"),
        null=True,
        blank=True,
        help_text=_("When the members were asked for their views on the draft."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "working_group__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year"],
                condition=Q(working_group__isnull=True),
                name="workplan_network_year",
            ),
            models.UniqueConstraint(
                fields=["network", "working_group", "year"],
                condition=Q(working_group__isnull=False),
                name="workplan_group_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.UNDER_REVIEW)

    @property
    def is_before_body(self) -> bool:
        """Put for adoption and not decided yet."""
        return bool(
            self.proposal_id and self.proposal.status in (Proposal.Status.OPEN, Proposal.Status.ESCALATED)
        )

    @property
    def consultation_open(self) -> bool:
        """Members' views are taken on the draft until it is put to the deciding body."""
        return bool(self.consultation_opened_at) and self.is_editable and not self.is_before_body


class MemberView(models.Model):
    """A member organisation's view on a draft workplan, given before the workplan is put for
    adoption (Kenya: the Executive Committee decides "in consultation with other members")."""

    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="member_views")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    text = models.TextField(_("view"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__acronym"]
        constraints = [
            models.UniqueConstraint(
                fields=["workplan", "organisation"], name="member_view_one_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.workplan}"


class Activity(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    class FundingSource(models.TextChoices):
        MPTF = "mptf", _("Migration MPTF")
        DONOR = "donor", _("Donor")
        CORE = "core", _("Core funds")
        JOINT = "joint", _("Joint programme")
        OTHER = "other", _("Other")

    MARKERS = [(0, "0"), (1, "1"), (2, "2"), (3, "3")]

    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. 1.2; unique in the workplan."))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead organisation")
    )
    participants = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("participating organisations")
    )
    working_group = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("working group"),
    )
    start_quarter = models.PositiveSmallIntegerField(
        _("start quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)]
    )
    end_quarter = models.PositiveSmallIntegerField(
        _("end quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    budget = models.DecimalField(_("budget required"), max_digits=14, decimal_places=2, default=0)
    funded = models.DecimalField(_("funded"), max_digits=14, decimal_places=2, default=0)
    pipeline = models.DecimalField(_("in the pipeline"), max_digits=14, decimal_places=2, default=0)
    funding_source = models.CharField(
        _("funding source"), max_length=10, choices=FundingSource.choices, blank=True
    )
    funding_detail = models.CharField(_("funder"), max_length=200, blank=True)
    gcm_objectives = models.ManyToManyField(GcmObjective, blank=True, related_name="activities")
    guiding_principles = models.ManyToManyField(GuidingPrinciple, blank=True, related_name="activities")
    sdg_targets = models.ManyToManyField(SdgTarget, blank=True, related_name="activities")
    gender_marker = models.PositiveSmallIntegerField(
        _("gender equality marker"), choices=MARKERS, null=True, blank=True
    )
    gender_justification = models.CharField(_("gender marker justification"), max_length=500, blank=True)
    human_rights_marker = models.PositiveSmallIntegerField(
        _("human rights marker"), choices=MARKERS, null=True, blank=True
    )
    human_rights_justification = models.CharField(
        _("human rights marker justification"), max_length=500, blank=True
    )
    strategic_priority = models.CharField(_("UNSDCF strategic priority"), max_length=200, blank=True)
    unsdcf_outcome = models.CharField(_("UNSDCF outcome"), max_length=40, blank=True)
    unsdcf_output = models.CharField(_("UNSDCF output"), max_length=40, blank=True)

    class Meta:
        ordering = ["workplan", "code"]
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["workplan", "code"], name="activity_code_unique"),
            models.CheckConstraint(
                condition=Q(end_quarter__gte=models.F("start_quarter")), name="activity_quarters"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def gap(self):
        return max(self.budget - self.funded - self.pipeline, 0)


class Indicator(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    by_sex = models.BooleanField(_("disaggregated by sex"), default=False)
    by_age = models.BooleanField(_("disaggregated by age"), default=False)
    # {"female": n, "male": n} and {"0-17": n, "18-59": n, "60+": n} where disaggregated.
    actual_by_sex = models.JSONField(default=dict, blank=True)
    actual_by_age = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ProgressUpdate(models.Model):
    """A quarter's progress on an activity, by the lead organisation's representatives."""

    class Rag(models.TextChoices):
        RED = "red", _("Red: off track")
        AMBER = "amber", _("Amber: at risk")
        GREEN = "green", _("Green: on track")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="progress")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in range(1, 5)])
    narrative = models.TextField(_("narrative"))
    percent = models.PositiveSmallIntegerField(_("percent complete"))
    rag = models.CharField(_("rating"), max_length=5, choices=Rag.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "year", "quarter"], name="progress_one_per_quarter"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} Q{self.quarter} {self.year}"
