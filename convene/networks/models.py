"""A network, its charter (bodies, memberships, representatives, rules) and the shared registry."""

import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from convene.core.models import TimeStampedModel
from convene.core.translation import Translated


class Organisation(Translated, TimeStampedModel):
    """An entry of the registry shared by every network: a UN entity, ministry, CSO, …"""

    # Only the UN entities of reference/ have translated names; a name typed by a user stays as typed.
    TRANSLATED_FIELDS = ("name",)

    class Kind(models.TextChoices):
        UN = "un", _("UN system entity")
        GOVERNMENT = "government", _("Government")
        CSO = "cso", _("Civil society")
        ACADEMIA = "academia", _("Academia")
        DONOR = "donor", _("Donor / development partner")
        PRIVATE = "private", _("Private sector")
        INTERNATIONAL = "international", _("Other international organisation")
        OTHER = "other", _("Other")

    acronym = models.CharField(_("acronym"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    un_category = models.CharField(
        _("UN system category"),
        max_length=40,
        blank=True,
        help_text=_("For UN entities: specialized agency, fund or programme, …"),
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO code; blank for international bodies.")
    )
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["acronym"]
        constraints = [
            models.UniqueConstraint(Lower("acronym"), "country", name="organisation_acronym_unique"),
            models.UniqueConstraint(Lower("name"), "country", name="organisation_name_unique"),
        ]

    def __str__(self) -> str:
        return self.acronym

    @property
    def un_category_label(self) -> str:
        return self.un_category.replace("_", " ").capitalize()


class Network(Translated, TimeStampedModel):
    """A country network on migration: the tenant every record belongs to."""

    TRANSLATED_FIELDS = ("name", "short_name", "mission")

    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in addresses: /n/<slug>/"))
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    country = models.CharField(_("country"), max_length=2)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    language = models.CharField(
        _("default language"),
        max_length=10,
        default="en",
        choices=settings.LANGUAGES,
        help_text=_("For e-mails to people who have not chosen a language."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("The network's working languages, from its charter."),
    )
    email = models.EmailField(
        _("Secretariat e-mail"),
        blank=True,
        help_text=_(
            "The Secretariat's mailbox: replies and answers to invitations go there. Empty: the "
            "Coordinator's principal representative's address."
        ),
    )
    mission = models.TextField(_("mission"), blank=True)
    charter_title = models.CharField(_("charter title"), max_length=200, default="Terms of Reference")
    charter_version = models.CharField(_("charter version"), max_length=40, blank=True)
    charter_adopted_on = models.DateField(_("charter adopted on"), null=True, blank=True)
    charter_source = models.CharField(_("charter source"), max_length=200, blank=True)
    members_list_shared_at = models.DateTimeField(_("members list last shared"), null=True, blank=True)
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.tr.short_name or self.tr.name

    def fallback_language(self) -> str:
        return self.language

    # One clock: every date a rule compares or a person sees is the network's, never the server's.

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self, now: datetime.datetime | None = None) -> datetime.date:
        """The network's local date now (or at `now`)."""
        return self.localtime(now).date()

    def localtime(self, value: datetime.datetime | None = None) -> datetime.datetime:
        """An instant (default: now) on the network's wall clock."""
        return timezone.localtime(value or timezone.now(), self.zone)

    def secretariat_address(self) -> str:
        """Where replies and answers to invitations go, and the invitations' organiser: the
        Secretariat's mailbox from the charter, else the e-mail of the Coordinator's current
        principal representative; "" when neither is known."""
        if self.email:
            return self.email
        coordinator = (
            Representative.objects.current(on=self.today())
            .filter(
                membership__body__network=self,
                membership__body__kind=Body.Kind.SECRETARIAT,
                membership__role=Membership.Role.COORDINATOR,
                kind=Representative.Kind.PRINCIPAL,
                person__is_active=True,
            )
            .order_by("pk")
            .values_list("person__email", flat=True)
            .first()
        )
        return coordinator or ""

    def authority_for(self, power: str) -> "Body | None":
        """The body this network's charter names for a power (see POWERS), or None where the
        charter gives it to no one in particular. The one place this question is answered."""
        rules = {}
        for rule in self.rules.filter(kind__in=POWERS[power]).select_related("authority"):
            rules.setdefault(rule.kind, rule)
        for kind in POWERS[power]:
            if (rule := rules.get(kind)) and rule.authority_id and rule.authority.is_active:
                return rule.authority
        return None

    def decides_for_itself(self, power: str) -> bool:
        """True when the Secretariat may exercise the power directly: the charter names no body
        for it, or names the Secretariat."""
        authority = self.authority_for(power)
        return authority is None or authority.kind == Body.Kind.SECRETARIAT


class Body(Translated, TimeStampedModel):
    """A group inside a network: plenary, Executive Committee, co-chairs, Secretariat, working group, UNCT."""

    TRANSLATED_FIELDS = ("name", "focus", "mandate")

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Network plenary")
        EXECUTIVE = "executive", _("Executive Committee")
        CO_CHAIRS = "co_chairs", _("Co-chairs")
        SECRETARIAT = "secretariat", _("Coordinator and Secretariat")
        WORKING_GROUP = "working_group", _("Working group")
        UNCT = "unct", _("UN Country Team")

    class Permanence(models.TextChoices):
        PERMANENT = "permanent", _("Permanent")
        AD_HOC = "ad_hoc", _("Ad hoc")

    class DecisionMethod(models.TextChoices):
        NONE = "", _("Does not decide")
        CONSENSUS = "consensus", _("Consensus")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="bodies")
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    permanence = models.CharField(
        _("permanence"), max_length=10, choices=Permanence.choices, default=Permanence.PERMANENT
    )
    focus = models.TextField(_("focus"), blank=True)
    mandate = models.TextField(_("mandate"), blank=True, help_text=_("Duties the charter gives the body."))
    participation_level = models.CharField(_("participation level"), max_length=200, blank=True)
    decision_method = models.CharField(
        _("decision method"), max_length=20, choices=DecisionMethod.choices, blank=True
    )
    escalates_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("escalates to"),
        help_text=_("Where a matter goes when consensus is not reached."),
    )
    co_chair_term_months = models.PositiveSmallIntegerField(
        _("co-chair term (months)"), null=True, blank=True
    )
    external_partners_allowed = models.BooleanField(_("external partners allowed"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="body_slug_unique"),
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(abolished_on__gte=models.F("established_on")),
                name="body_abolished_after_established",
            ),
        ]

    def __str__(self) -> str:
        return self.tr.name

    def fallback_language(self) -> str | None:
        # The network's default language, when the network is already loaded: never a query.
        return self.network.language if Body.network.is_cached(self) else None

    @property
    def is_active(self) -> bool:
        return self.abolished_on is None or self.abolished_on > self.network.today()

    @property
    def is_working_group(self) -> bool:
        return self.kind == self.Kind.WORKING_GROUP


def in_term(on: datetime.date, prefix: str = "") -> Q:
    """Started by `on` (or undated) and not ended before it: the dated half of "current"."""
    return (Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": on})) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def body_live(on: datetime.date, prefix: str = "") -> Q:
    """A body not abolished by `on` (it ceases on the day it is abolished)."""
    return Q(**{f"{prefix}abolished_on__isnull": True}) | Q(**{f"{prefix}abolished_on__gt": on})


def current_membership(on: datetime.date, prefix: str = "") -> Q:
    """The one definition of a current membership: active, in its term, in a live body."""
    return Q(**{f"{prefix}status": "active"}) & in_term(on, prefix) & body_live(on, f"{prefix}body__")


def current_representative(on: datetime.date, prefix: str = "") -> Q:
    """The one definition of a current representative: in term, for a current membership."""
    return in_term(on, prefix) & current_membership(on, f"{prefix}membership__")


class MembershipQuerySet(models.QuerySet):
    def current(self, *, on: datetime.date):
        """Memberships that hold on the date `on` (pass `network.today()`)."""
        return self.filter(current_membership(on))


class RepresentativeQuerySet(models.QuerySet):
    def current(self, *, on: datetime.date):
        """Representatives who speak for a current membership on `on`: every right depends on this."""
        return self.filter(current_representative(on))


class Membership(TimeStampedModel):
    """An organisation in a body with a role. A role held for a term (co-chair) is its own row."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        COORDINATOR = "coordinator", _("Coordinator")
        SECRETARIAT = "secretariat", _("Secretariat")
        CO_CHAIR = "co_chair", _("Co-chair")
        OBSERVER = "observer", _("Observer")
        EXTERNAL_PARTNER = "external_partner", _("External partner")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")
        ENDED = "ended", _("Ended")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The approval record of an application. The decisions capability links a decision to the
    # membership it approved; these fields stay the summary shown in registers.
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_decisions",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["body__order", "organisation__acronym"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "organisation", "role"],
                condition=Q(status__in=["applied", "active"]),
                name="membership_open_unique",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}, {self.body}"

    def in_term(self, on: datetime.date) -> bool:
        """`current_membership` for a loaded row (its body's liveness is checked by the caller)."""
        return (
            self.status == self.Status.ACTIVE
            and (self.start_date is None or self.start_date <= on)
            and (self.end_date is None or self.end_date >= on)
        )


class Representative(TimeStampedModel):
    """A person designated by a member organisation to speak for it in one body."""

    class Kind(models.TextChoices):
        PRINCIPAL = "principal", _("Principal")
        ALTERNATE = "alternate", _("Alternate")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="representatives")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRINCIPAL)
    participation_level = models.CharField(_("participation level"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "person"], name="representative_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="representative_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()}, {self.membership.organisation})"


class Rule(Translated, TimeStampedModel):
    """A duty or power the charter states, monitored by the product."""

    TRANSLATED_FIELDS = ("title", "text")

    class Kind(models.TextChoices):
        MEETING_FREQUENCY = "meeting_frequency", _("Meeting frequency")
        ANNUAL_MEETING = "annual_meeting", _("Annual meeting")
        EXTRAORDINARY_MEETING = "extraordinary_meeting", _("Extraordinary meetings")
        REPRESENTATION = "representation", _("Representation at meetings")
        DECISION_MAKING = "decision_making", _("Decision making")
        CONSULTATION = "consultation", _("Mandatory consultation")
        MEMBERSHIP_APPROVAL = "membership_approval", _("Approval of new members")
        WORKING_GROUPS = "working_groups", _("Working groups")
        CO_CHAIR_ROTATION = "co_chair_rotation", _("Co-chair rotation")
        MEMBERS_LIST = "members_list", _("Members list sharing")
        WORKPLAN = "workplan", _("Annual workplan")
        REPORTING = "reporting", _("Reporting")
        MINUTES = "minutes", _("Minutes and records")
        CONFIDENTIALITY = "confidentiality", _("Confidentiality")
        STATEMENTS = "statements", _("Speaking with one voice")
        BRIEFINGS = "briefings", _("Regular briefings")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="rules")
    key = models.SlugField(_("key"), max_length=80)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("charter text"), blank=True, help_text=_("The words of the charter."))
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.CASCADE, related_name="rules", verbose_name=_("body")
    )
    authority = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("The body that holds the power or approves, where the rule names one."),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation concerned, e.g. the ministry to consult."),
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["network", "key"], name="rule_key_unique")]

    def __str__(self) -> str:
        return self.tr.title

    def fallback_language(self) -> str | None:
        return self.network.language if Rule.network.is_cached(self) else None


# The powers a charter can give to a body, and the rules that name it, most specific first. Keys are
# the kinds of charter decision (decisions.Proposal.Kind uses the same values).
POWERS = {
    "general": [],
    "admit_member": [Rule.Kind.MEMBERSHIP_APPROVAL],
    "establish_working_group": [Rule.Kind.WORKING_GROUPS],
    "change_working_group": [Rule.Kind.WORKING_GROUPS],
    "abolish_working_group": [Rule.Kind.WORKING_GROUPS],
    "select_co_chairs": [Rule.Kind.CO_CHAIR_ROTATION, Rule.Kind.WORKING_GROUPS],
    "adopt_workplan": [Rule.Kind.WORKPLAN],
}
