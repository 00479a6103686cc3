"""The statements' forms: thin, the rules are the services'."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from convene.decisions.forms import state_question
from convene.decisions.models import Decision
from convene.decisions.rules import state_consultation_rule
from convene.networks.forms import DateInput
from convene.networks.models import Body, Network, Organisation
from convene.workplans.models import GcmObjective

from . import rules
from .models import Clearance, Delivery, Round, Statement, Version


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _label(model, field):
    return capfirst(model._meta.get_field(field).verbose_name)


def _rows(n: int):
    return forms.Textarea(attrs={"rows": n})


def network_languages(network: Network) -> list[tuple[str, str]]:
    """The network's working languages that Convene ships (all of them where the charter names none)."""
    shipped = dict(settings.LANGUAGES)
    codes = [code for code in (network.languages or []) if code in shipped] or list(shipped)
    return [(code, shipped[code]) for code in codes]


class TextsMixin:
    """A title and a text per language of the network; the authoritative language's text is required
    (the services say so), the others are optional."""

    def add_text_fields(self, network: Network, initial_texts: dict | None = None):
        self.languages = network_languages(network)
        # A version's languages outside the network's list are kept.
        shipped = dict(settings.LANGUAGES)
        for code in initial_texts or {}:
            if code not in dict(self.languages) and code in shipped:
                self.languages.append((code, shipped[code]))
        self.fields["authoritative_language"] = forms.ChoiceField(
            label=_label(Version, "authoritative_language"), choices=self.languages
        )
        for code, name in self.languages:
            text = (initial_texts or {}).get(code) or {}
            self.fields[f"title_{code}"] = forms.CharField(
                label=format_lazy("{} — {}", name, _label(Statement, "title")),
                max_length=300,
                required=False,
                initial=text.get("title", ""),
            )
            self.fields[f"text_{code}"] = forms.CharField(
                label=format_lazy("{} — {}", name, _("Text")),
                widget=_rows(8),
                required=False,
                initial=text.get("text", ""),
            )

    def language_fields(self):
        """[(language name, title field, text field)] for the template."""
        return [(name, self[f"title_{code}"], self[f"text_{code}"]) for code, name in self.languages]

    def texts(self) -> dict:
        data = self.cleaned_data
        return {
            code: {"title": data.get(f"title_{code}", ""), "text": data.get(f"text_{code}", "")}
            for code, _name in self.languages
            if (data.get(f"text_{code}") or "").strip()
        }


class StatementForm(TextsMixin, forms.Form):
    body = forms.ModelChoiceField(
        label=_label(Statement, "body"), queryset=Body.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_label(Statement, "kind"), choices=Statement.Kind.choices)
    title = forms.CharField(label=_label(Statement, "title"), max_length=300)
    audience = forms.ChoiceField(label=_label(Statement, "audience"), choices=Statement.Audience.choices)
    occasion = forms.CharField(label=_label(Statement, "occasion"), max_length=300, required=False)
    occasion_date = forms.DateField(
        label=_label(Statement, "occasion_date"), widget=DateInput(), required=False
    )
    gcm_objectives = forms.ModelMultipleChoiceField(
        label=_label(Statement, "gcm_objectives"),
        queryset=GcmObjective.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    network_wide = forms.BooleanField(
        label=_label(Statement, "network_wide"),
        required=False,
        help_text=Statement._meta.get_field("network_wide").help_text,
    )

    def __init__(self, *args, network: Network, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(pk__in=[b.pk for b in bodies]).order_by(
            "kind", "name"
        )
        if not rules.may_choose_network_wide(network):
            del self.fields["network_wide"]
        if state_rule := state_consultation_rule(network):
            self.fields["concerns_state"] = state_question(state_rule, before_speaking=True)
        self.add_text_fields(network)
        self.fields["authoritative_language"].initial = network.language

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "body": data["body"],
            "kind": data["kind"],
            "title": data["title"],
            "audience": data["audience"],
            "occasion": data["occasion"],
            "occasion_date": data["occasion_date"],
            "gcm_objectives": list(data["gcm_objectives"]),
            "network_wide": data.get("network_wide", False),
            "concerns_state": data.get("concerns_state"),
            "texts": self.texts(),
            "authoritative_language": data["authoritative_language"],
        }


class StatementEditForm(forms.Form):
    """The particulars of a statement; its text changes by new versions, its body never."""

    kind = forms.ChoiceField(label=_label(Statement, "kind"), choices=Statement.Kind.choices)
    title = forms.CharField(label=_label(Statement, "title"), max_length=300)
    audience = forms.ChoiceField(label=_label(Statement, "audience"), choices=Statement.Audience.choices)
    occasion = forms.CharField(label=_label(Statement, "occasion"), max_length=300, required=False)
    occasion_date = forms.DateField(
        label=_label(Statement, "occasion_date"), widget=DateInput(), required=False
    )
    decision = forms.CharField(
        label=_label(Statement, "decision"),
        max_length=40,
        required=False,
        help_text=_("Its number in the register, e.g. KEN/2027/007."),
    )
    gcm_objectives = forms.ModelMultipleChoiceField(
        label=_label(Statement, "gcm_objectives"),
        queryset=GcmObjective.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, statement: Statement, **kwargs):
        self.network = statement.network
        initial = {
            "kind": statement.kind,
            "title": statement.title,
            "audience": statement.audience,
            "occasion": statement.occasion,
            "occasion_date": statement.occasion_date,
            "decision": statement.decision.number if statement.decision else "",
            "gcm_objectives": list(statement.gcm_objectives.all()),
            "concerns_state": {True: "1", False: "0"}.get(statement.concerns_state),
        }
        super().__init__(*args, initial=initial, **kwargs)
        if state_rule := state_consultation_rule(self.network):
            self.fields["concerns_state"] = state_question(state_rule, before_speaking=True)

    def clean_decision(self):
        number = self.cleaned_data["decision"].strip()
        if not number:
            return None
        decision = Decision.objects.filter(network=self.network, number__iexact=number).first()
        if decision is None:
            raise forms.ValidationError(_("No such decision in this network."))
        return decision

    def service_fields(self) -> dict:
        return {**self.cleaned_data, "gcm_objectives": list(self.cleaned_data["gcm_objectives"])}


class RevisionForm(TextsMixin, forms.Form):
    editorial = forms.BooleanField(
        label=_label(Version, "editorial"),
        required=False,
        help_text=Version._meta.get_field("editorial").help_text,
    )
    note = forms.CharField(label=_label(Version, "note"), max_length=500, required=False)

    def __init__(self, *args, network: Network, version: Version, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_text_fields(network, version.texts)
        self.fields["authoritative_language"].initial = version.authoritative_language
        self.order_fields(["authoritative_language"])


class ClearanceRoundForm(forms.Form):
    procedure = forms.ChoiceField(
        label=_label(Round, "procedure"),
        choices=Round.Procedure.choices,
        initial=Round.Procedure.SILENCE,
        widget=forms.RadioSelect,
    )
    deadline = forms.DateTimeField(label=_label(Round, "deadline"), widget=DateTimeInput())

    def __init__(self, *args, network: Network, statement: Statement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # A statement drafted without saying whether it concerns the state says it now.
        state_rule = state_consultation_rule(network) if statement is not None else None
        if state_rule is not None and statement.concerns_state is None:
            self.fields["concerns_state"] = state_question(state_rule, before_speaking=True)
        hours = rules.silence_hours(network)
        default = network.localtime(timezone.now() + datetime.timedelta(hours=hours))
        self.fields["deadline"].initial = default.replace(second=0, microsecond=0, tzinfo=None)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_label(Clearance, "answer"),
        choices=[(a.value, a.label) for a in Clearance.GIVEN],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_label(Clearance, "comment"), widget=_rows(2), required=False)

    def __init__(self, *args, organisations, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = forms.ModelChoiceField(
            label=_("For"), queryset=organisations, empty_label=None
        )
        if on_behalf:
            self.fields["channel"] = forms.ChoiceField(
                label=_label(Clearance, "channel"),
                choices=[c for c in Clearance.Channel.choices if c[0] != Clearance.Channel.DIRECT],
                initial=Clearance.Channel.EMAIL,
            )
        self.order_fields(["organisation", "answer", "comment", "channel"])


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=_rows(2), max_length=500)


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_label(Delivery, "delivered_on"), widget=DateInput())
    organisation = forms.ModelChoiceField(
        label=_label(Delivery, "organisation"), queryset=Organisation.objects.none()
    )
    speaker = forms.CharField(label=_label(Delivery, "speaker"), max_length=200, required=False)
    occasion = forms.CharField(
        label=_label(Delivery, "occasion"),
        max_length=300,
        help_text=Delivery._meta.get_field("occasion").help_text,
    )
    recipients = forms.CharField(label=_label(Delivery, "recipients"), max_length=300)
    note = forms.CharField(label=_label(Delivery, "note"), widget=_rows(2), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class CommentForm(forms.Form):
    paragraph = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    language = forms.CharField(widget=forms.HiddenInput, max_length=10)
    text = forms.CharField(label=_("Comment"), widget=_rows(2))
