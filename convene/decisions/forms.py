import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from convene.meetings.models import Meeting, MinutesItem
from convene.networks.forms import DateInput
from convene.networks.models import Body, Membership, Network, Organisation

from . import rules
from .models import ActionItem, Decision, Position, Proposal

Kind = Proposal.Kind


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _rows(n: int):
    return forms.Textarea(attrs={"rows": n})


def state_question(rule, *, before_speaking: bool = False) -> forms.TypedChoiceField:
    """ "Does this concern the state?": required where the charter makes consulting a ministry on
    state matters mandatory (before a decision, or before the network speaks)."""
    help_text = (
        _("Yes: %(org)s is consulted on the text before it is signed off (%(text)s).")
        if before_speaking
        else _("Yes: %(org)s is consulted before the decision (%(text)s).")
    )
    return forms.TypedChoiceField(
        label=_("Does this concern the state?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        help_text=help_text % {"org": rule.organisation.tr.name, "text": rule.tr.title},
    )


class ProposalForm(forms.Form):
    """One form for every kind: the fields of the kind chosen are shown (the others are removed)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text of the decision"), widget=_rows(5))
    rationale = forms.CharField(label=_("Rationale"), widget=_rows(3), required=False)
    topic = forms.CharField(label=_("Topic"), max_length=80, required=False)
    body = forms.ModelChoiceField(label=_("Deciding body"), queryset=Body.objects.none())
    procedure = forms.ChoiceField(
        label=_("Procedure"), choices=Proposal.Procedure.choices, widget=forms.RadioSelect
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("At a meeting: the proposal is added to its agenda as a decision item."),
    )
    deadline = forms.DateTimeField(
        label=_("Positions by"),
        widget=DateTimeInput(),
        required=False,
        help_text=_("Required for a written procedure: adopted at this time unless a member objects."),
    )
    consultations = forms.ModelMultipleChoiceField(
        label=_("Mandatory consultations that apply"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    membership = forms.ModelChoiceField(label=_("Application"), queryset=Membership.objects.none())
    working_group = forms.ModelChoiceField(label=_("Working group"), queryset=Body.objects.none())
    wg_name = forms.CharField(label=_("Name of the working group"), max_length=200)
    wg_focus = forms.CharField(label=_("Focus"), widget=_rows(2), required=False)
    wg_permanence = forms.ChoiceField(label=_("Permanence"), choices=Body.Permanence.choices)
    co_chairs = forms.ModelMultipleChoiceField(
        label=_("Co-chair organisations"), queryset=Organisation.objects.none(), help_text=_("One to three.")
    )
    amends = forms.CharField(label=_("Amends decision (number)"), max_length=30, required=False)
    supersedes = forms.CharField(label=_("Supersedes decision (number)"), max_length=30, required=False)

    KIND_FIELDS = {
        Kind.GENERAL: {"amends", "supersedes"},
        Kind.ADMIT_MEMBER: {"membership"},
        Kind.ESTABLISH_WORKING_GROUP: {"wg_name", "wg_focus", "wg_permanence"},
        Kind.CHANGE_WORKING_GROUP: {"working_group", "wg_name", "wg_focus", "wg_permanence"},
        Kind.ABOLISH_WORKING_GROUP: {"working_group"},
        Kind.SELECT_CO_CHAIRS: {"working_group", "co_chairs"},
    }
    OPTIONAL = {"wg_name", "wg_focus", "wg_permanence"}

    def __init__(self, *args, network: Network, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.network, self.kind = network, kind
        for name in set().union(*self.KIND_FIELDS.values()) - self.KIND_FIELDS[kind]:
            del self.fields[name]
        bodies = rules.deciding_bodies(network)
        self.fields["body"].queryset = network.bodies.filter(pk__in=[b.pk for b in bodies])
        authority = rules.deciding_body_for(network, kind)
        self.fields["body"].initial = authority.pk if authority else None
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(network=network)
            .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.HELD])
            .select_related("body")
            .order_by("starts_at")
        )
        state_rule = rules.state_consultation_rule(network)
        consultations = network.rules.filter(kind="consultation")
        if state_rule is not None:
            # Asked as a question of its own: yes opens the consultation and cannot be skipped.
            consultations = consultations.exclude(pk=state_rule.pk)
            self.fields["concerns_state"] = state_question(state_rule)
        self.fields["consultations"].queryset = consultations
        self.fields["consultations"].label_from_instance = lambda r: f"{r.title} — {r.text}"
        if not self.fields["consultations"].queryset.exists():
            del self.fields["consultations"]
        self.fields["procedure"].initial = Proposal.Procedure.MEETING
        self.fields["deadline"].help_text = _(
            "In %(tz)s. Required for a written procedure: adopted at this time unless a member objects."
        ) % {"tz": network.timezone}
        groups = network.bodies.filter(kind=Body.Kind.WORKING_GROUP, abolished_on__isnull=True)
        if "working_group" in self.fields:
            self.fields["working_group"].queryset = groups
        if "membership" in self.fields:
            self.fields["membership"].queryset = Membership.objects.filter(
                body__network=network, status=Membership.Status.APPLIED
            ).select_related("organisation", "body")
        if "co_chairs" in self.fields:
            self.fields["co_chairs"].queryset = Organisation.objects.filter(
                memberships__body__in=groups, memberships__status="active"
            ).distinct()
        if kind == Kind.CHANGE_WORKING_GROUP:
            for name in self.OPTIONAL:
                self.fields[name].required = False
                self.fields[name].help_text = _("Leave blank what does not change.")
            self.fields["wg_permanence"].choices = [("", "—"), *Body.Permanence.choices]

    def _decision(self, name: str):
        number = (self.cleaned_data.get(name) or "").strip()
        if not number:
            return None
        decision = Decision.objects.filter(network=self.network, number__iexact=number).first()
        if decision is None:
            raise forms.ValidationError(_("No decision %(n)s in this network.") % {"n": number})
        return decision

    def clean_amends(self):
        return self._decision("amends")

    def clean_supersedes(self):
        return self._decision("supersedes")

    def clean(self):
        data = super().clean()
        if data.get("procedure") == Proposal.Procedure.WRITTEN and not data.get("deadline"):
            self.add_error("deadline", _("A written procedure needs a deadline."))
        return data

    def payload(self) -> dict:
        data = self.cleaned_data
        if self.kind == Kind.SELECT_CO_CHAIRS:
            return {"organisations": [o.pk for o in data["co_chairs"]]}
        fields = {
            "name": data.get("wg_name"),
            "focus": data.get("wg_focus"),
            "permanence": data.get("wg_permanence"),
        }
        if self.kind == Kind.ESTABLISH_WORKING_GROUP:
            return fields
        if self.kind == Kind.CHANGE_WORKING_GROUP:
            return {k: v for k, v in fields.items() if v}
        return {}

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "text": data["text"],
            "rationale": data.get("rationale", ""),
            "topic": data.get("topic", ""),
            "kind": self.kind,
            "procedure": data["procedure"],
            "meeting": data.get("meeting"),
            "deadline": data.get("deadline"),
            "membership": data.get("membership"),
            "working_group": data.get("working_group"),
            "payload": self.payload(),
            "consultations": list(data.get("consultations") or []),
            "concerns_state": data.get("concerns_state"),
            "amends": data.get("amends"),
            "supersedes": data.get("supersedes"),
        }


class ProposalEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text of the decision"), widget=_rows(5))
    rationale = forms.CharField(label=_("Rationale"), widget=_rows(3), required=False)
    topic = forms.CharField(label=_("Topic"), max_length=80, required=False)
    deadline = forms.DateTimeField(label=_("Positions by"), widget=DateTimeInput(), required=False)


class PositionForm(forms.Form):
    stance = forms.ChoiceField(label=_("Position"), choices=Position.Stance.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), widget=_rows(2), required=False, help_text=_("Required to stand aside or object.")
    )

    def __init__(self, *args, organisations, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = forms.ModelChoiceField(
            label=_("For"), queryset=organisations, empty_label=None
        )
        if on_behalf:
            self.fields["channel"] = forms.ChoiceField(
                label=_("Given"), choices=Position.Channel.choices, initial=Position.Channel.MEETING
            )
        self.order_fields(["organisation", "stance", "reason", "channel"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=_rows(2), max_length=500)


class ReopenForm(ReasonForm):
    deadline = forms.DateTimeField(
        label=_("New deadline (written procedure)"), widget=DateTimeInput(), required=False
    )


class ConsultationForm(forms.Form):
    title = forms.CharField(
        label=_("Consultation"), max_length=200, help_text=_("Who is to be consulted, on what.")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    required = forms.BooleanField(label=_("Required before adoption"), required=False, initial=True)


class ConsultationRecordForm(forms.Form):
    consulted_on = forms.DateField(label=_("Consulted on"), widget=DateInput())
    consulted = forms.CharField(
        label=_("Who spoke for the organisation"), max_length=200, help_text=_("Name and title.")
    )
    outcome = forms.CharField(
        label=_("Outcome"), widget=_rows(3), help_text=_("The organisation's answer and any comments.")
    )


class FocalPointForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation consulted"), queryset=Organisation.objects.none()
    )
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, required=False, help_text=_("Needed for a new person.")
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=network.rules.filter(kind="consultation").values("organisation")
        )


class EscalationForm(forms.Form):
    """Where the matter was tabled, and, once known, what the UNCT decided."""

    tabled_on = forms.DateField(label=_("Tabled on"), widget=DateInput())
    unct_meeting = forms.ModelChoiceField(
        label=_("UNCT meeting"), queryset=Meeting.objects.none(), required=False
    )
    unct_meeting_note = forms.CharField(
        label=_("UNCT meeting (if not kept here)"), max_length=200, required=False
    )
    outcome = forms.ChoiceField(
        label=_("The UNCT's decision"),
        choices=[("", _("Not decided yet")), ("adopted", _("Adopted")), ("not_adopted", _("Not adopted"))],
        required=False,
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput(), required=False)
    unct_decision = forms.CharField(label=_("What the UNCT decided"), widget=_rows(3), required=False)

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unct_meeting"].queryset = Meeting.objects.filter(
            network=network, body__kind=Body.Kind.UNCT
        ).exclude(status=Meeting.Status.CANCELLED)

    def clean(self):
        data = super().clean()
        if data.get("outcome"):
            if not data.get("decided_on"):
                self.add_error("decided_on", _("When did the UNCT decide?"))
            if not (data.get("unct_decision") or "").strip():
                self.add_error("unct_decision", _("Record what the UNCT decided."))
        return data


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("What is to be done"), max_length=300)
    description = forms.CharField(label=_("Details"), widget=_rows(3), required=False)
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none()
    )
    owner = forms.ModelChoiceField(
        label=_("Owner (person)"),
        queryset=None,
        required=False,
        help_text=_("A representative of the owner organisation; blank: the organisation's representatives."),
    )
    due_date = forms.DateField(label=_("Due"), widget=DateInput())

    def __init__(self, *args, network: Network, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(
            pk__in=Membership.objects.current(on=network.today())
            .filter(body__network=network)
            .values("organisation_id")
        )
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(
                representations__membership__body__network=network,
                representations__membership__status="active",
            )
            .distinct()
            .order_by("full_name")
        )
        self.fields["owner"].label_from_instance = lambda u: f"{u.full_name} <{u.email}>"


class ActionItemNewForm(ActionItemForm):
    """A new action item follows up a decision (by its number) or an item of a meeting's minutes."""

    decision = forms.CharField(label=_("Decision number"), max_length=30, required=False)
    minutes_item = forms.ModelChoiceField(
        label=_("From the minutes of"), queryset=MinutesItem.objects.none(), required=False
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, network=network, **kwargs)
        self.network = network
        since = timezone.now() - datetime.timedelta(days=400)
        self.fields["minutes_item"].queryset = (
            MinutesItem.objects.filter(
                minutes__meeting__network=network, minutes__meeting__starts_at__gte=since
            )
            .select_related("minutes__meeting")
            .order_by("-minutes__meeting__starts_at", "order")
        )
        self.fields["minutes_item"].label_from_instance = lambda i: f"{i.minutes.meeting.title} — {i.title}"

    def clean_decision(self):
        number = self.cleaned_data["decision"].strip()
        if not number:
            return None
        decision = Decision.objects.filter(network=self.network, number__iexact=number).first()
        if decision is None:
            raise forms.ValidationError(_("No decision %(n)s in this network.") % {"n": number})
        return decision


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=_rows(3))
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Unchanged")), *ActionItem.Status.choices], required=False
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=_rows(2))


class RecordedDecisionForm(ProposalForm):
    """A charter decision the body took elsewhere: what it decided (the same subject fields as a
    proposal of the kind), when, its reference and the evidence."""

    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Admitted")), ("0", _("Rejected"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    reference = forms.CharField(
        label=_("Reference"), max_length=100, help_text=_("The decision's number or minute at that body.")
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=500,
        required=False,
        help_text=_("Where it is written: a note or a link (or attach the document)."),
    )
    evidence_file = forms.FileField(label=_("Evidence document"), required=False)

    NOT_RECORDED = (
        "title",
        "rationale",
        "topic",
        "body",
        "procedure",
        "meeting",
        "deadline",
        "consultations",
        "concerns_state",
        "amends",
        "supersedes",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.NOT_RECORDED:
            self.fields.pop(name, None)
        if self.kind != Kind.ADMIT_MEMBER:
            del self.fields["approve"]
        self.fields["text"].required = False
        self.fields["text"].help_text = _("Its words, if you have them.")
        self.order_fields(["membership", "approve", "working_group", "decided_on", "reference", "evidence"])

    def clean(self):
        return forms.Form.clean(self)

    def service_fields(self) -> dict:
        data = self.cleaned_data
        payload = self.payload()
        if self.kind == Kind.ADMIT_MEMBER:
            payload = {"approve": data["approve"]}
        return {
            "kind": self.kind,
            "decided_on": data["decided_on"],
            "reference": data["reference"],
            "evidence": data.get("evidence", ""),
            "text": data.get("text", ""),
            "membership": data.get("membership"),
            "working_group": data.get("working_group"),
            "payload": payload,
        }
