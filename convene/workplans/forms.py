from django import forms
from django.utils.translation import gettext_lazy as _

from convene.decisions.forms import DateTimeInput
from convene.decisions.models import Proposal
from convene.meetings.models import Meeting
from convene.networks.models import Body, Membership, Network, Organisation

from .models import Activity, GcmObjective, GuidingPrinciple, Indicator, ProgressUpdate, SdgTarget


def _rows(n):
    return forms.Textarea(attrs={"rows": n})


class WorkplanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    working_group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("— the network —"),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Blank: a title from the year.")
    )
    summary = forms.CharField(label=_("Summary"), widget=_rows(3), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = groups


class WorkplanEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=_rows(3), required=False)


class SubmitForm(forms.Form):
    procedure = forms.ChoiceField(
        label=_("Procedure"), choices=Proposal.Procedure.choices, widget=forms.RadioSelect, initial="meeting"
    )
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False)
    deadline = forms.DateTimeField(label=_("Positions by"), widget=DateTimeInput(), required=False)

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(network=network).exclude(
            status__in=[Meeting.Status.CANCELLED, Meeting.Status.HELD]
        )

    def clean(self):
        data = super().clean()
        if data.get("procedure") == Proposal.Procedure.WRITTEN and not data.get("deadline"):
            self.add_error("deadline", _("A written procedure needs a deadline."))
        return data


class ActivityForm(forms.ModelForm):
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"), queryset=Organisation.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    gcm_objectives = forms.ModelMultipleChoiceField(
        label=_("GCM objectives"), queryset=GcmObjective.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    guiding_principles = forms.ModelMultipleChoiceField(
        label=_("GCM guiding principles"), queryset=GuidingPrinciple.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    sdg_targets = forms.ModelMultipleChoiceField(
        label=_("SDG targets (at most ten)"), queryset=SdgTarget.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = Activity
        fields = [
            "code", "title", "description", "lead_organisation", "participants", "working_group",
            "start_quarter", "end_quarter", "status", "currency", "budget", "funded", "pipeline",
            "funding_source", "funding_detail", "gcm_objectives", "guiding_principles", "sdg_targets",
            "gender_marker", "gender_justification", "human_rights_marker", "human_rights_justification",
            "strategic_priority", "unsdcf_outcome", "unsdcf_output",
        ]  # fmt: skip
        widgets = {"description": _rows(3)}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        seated = Organisation.objects.filter(
            pk__in=Membership.objects.current(on=network.today())
            .filter(body__network=network)
            .values("organisation_id")
        )
        self.fields["lead_organisation"].queryset = seated
        self.fields["participants"].queryset = seated
        self.fields["working_group"].queryset = network.bodies.filter(kind=Body.Kind.WORKING_GROUP)

    def _post_clean(self):
        """The service validates and saves; the form only parses."""

    def values(self) -> dict:
        return dict(self.cleaned_data)


class IndicatorForm(forms.ModelForm):
    female = forms.IntegerField(label=_("Actual: women and girls"), min_value=0, required=False)
    male = forms.IntegerField(label=_("Actual: men and boys"), min_value=0, required=False)
    age_0_17 = forms.IntegerField(label=_("Actual: aged 0–17"), min_value=0, required=False)
    age_18_59 = forms.IntegerField(label=_("Actual: aged 18–59"), min_value=0, required=False)
    age_60 = forms.IntegerField(label=_("Actual: aged 60 and over"), min_value=0, required=False)

    AGE_GROUPS = {"age_0_17": "0-17", "age_18_59": "18-59", "age_60": "60+"}

    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target", "actual", "by_sex", "by_age"]

    def _post_clean(self):
        pass

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        female, male = data.pop("female", None), data.pop("male", None)
        if data.get("by_sex") and (female is not None or male is not None):
            data["actual_by_sex"] = {"female": female or 0, "male": male or 0}
        ages = {group: data.pop(field) for field, group in self.AGE_GROUPS.items()}
        if data.get("by_age") and any(v is not None for v in ages.values()):
            data["actual_by_age"] = {group: v or 0 for group, v in ages.items()}
        return data


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["year", "quarter", "narrative", "percent", "rag"]
        widgets = {"narrative": _rows(3)}

    def _post_clean(self):
        pass


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workplan file (.xlsx or .csv, in the template's columns)"))


class MemberViewForm(forms.Form):
    """A member organisation's view on the draft workplan."""

    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=Organisation.objects.none())
    text = forms.CharField(
        label=_("Your organisation's view"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("You can change it until the workplan is put for adoption."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
            self.fields["organisation"].widget = forms.HiddenInput()
