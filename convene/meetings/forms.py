import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from convene.networks.forms import DateInput
from convene.networks.models import Body, Membership, Network, Organisation

from .models import AgendaItem, Meeting
from .services import local_datetime


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("Starts"), widget=TimeInput())
    end = forms.TimeField(label=_("Ends"), widget=TimeInput())
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    unct_meeting = forms.ModelChoiceField(
        label=_("Held with the UNCT meeting"), queryset=Meeting.objects.none(), required=False
    )
    called_by = forms.ModelChoiceField(
        label=_("Called by (extraordinary meetings)"), queryset=Body.objects.none(), required=False
    )
    call_reason = forms.CharField(
        label=_("Why it was called"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    external_stakeholders = forms.CharField(
        label=_("Stakeholders invited beyond the members"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, network: Network, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["body"].queryset = bodies
        self.fields["unct_meeting"].queryset = Meeting.objects.filter(
            network=network, body__kind=Body.Kind.UNCT
        ).exclude(status=Meeting.Status.CANCELLED)
        self.fields["called_by"].queryset = network.bodies.exclude(kind=Body.Kind.WORKING_GROUP)
        self.fields["day"].help_text = _("Times are in %(tz)s.") % {"tz": network.timezone}

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start") and data.get("end"):
            data["starts_at"] = local_datetime(data["day"], data["start"], self.network.timezone)
            data["ends_at"] = local_datetime(data["day"], data["end"], self.network.timezone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("The meeting must end after it starts."))
        return data

    def meeting_fields(self) -> dict:
        data = self.cleaned_data
        keys = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "unct_meeting",
            "called_by",
            "call_reason",
            "external_stakeholders",
        ]
        return {k: data[k] for k in keys}


PATTERNS = [
    ("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYDAY=+2TU", _("Quarterly: second Tuesday of the last month")),
    ("FREQ=MONTHLY;BYMONTH=1,4,7,10;BYDAY=+1TU", _("Quarterly: first Tuesday of the first month")),
    ("FREQ=MONTHLY;BYDAY=+1TH", _("Monthly: first Thursday")),
    ("FREQ=YEARLY", _("Yearly, on the first date")),
    ("custom", _("Other (write an RFC 5545 rule)")),
]


class SeriesForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Quarterly meeting"))
    pattern = forms.ChoiceField(label=_("Repeats"), choices=PATTERNS)
    custom_rule = forms.CharField(
        label=_("Rule (RRULE)"), required=False, help_text=_("e.g. FREQ=WEEKLY;BYDAY=MO")
    )
    count = forms.IntegerField(label=_("Number of meetings"), min_value=1, max_value=40, initial=4)
    first_day = forms.DateField(
        label=_("From"),
        widget=DateInput(),
    )
    start = forms.TimeField(label=_("Starts"), widget=TimeInput(), initial=datetime.time(10, 0))
    duration = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=24 * 60, initial=120)
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies

    def clean(self):
        data = super().clean()
        pattern = data.get("pattern")
        if pattern == "custom":
            if not data.get("custom_rule", "").strip():
                self.add_error("custom_rule", _("Write the rule, or choose a pattern."))
                return data
            pattern = data["custom_rule"].strip().removeprefix("RRULE:")
        if pattern and data.get("count"):
            parts = [p for p in pattern.split(";") if not p.upper().startswith(("COUNT=", "UNTIL="))]
            data["rrule"] = ";".join([*parts, f"COUNT={data['count']}"])
        return data


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Type"), choices=AgendaItem.Kind.choices, initial=AgendaItem.Kind.DISCUSSION
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    presenter = forms.ModelChoiceField(
        label=_("Presented by"), queryset=Organisation.objects.none(), required=False
    )
    duration_minutes = forms.IntegerField(
        label=_("Time allotted (minutes)"), min_value=1, max_value=600, required=False
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = Organisation.objects.filter(
            pk__in=Membership.objects.current(on=network.today())
            .filter(body__network=network)
            .values("organisation_id")
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PaperForm(forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(
        label=_("Title"), max_length=300, required=False, help_text=_("Blank: the file name.")
    )
    confidentiality = forms.ChoiceField(
        label=_("Who may read it"),
        choices=[("internal", _("Members of the network")), ("restricted", _("Members of this body only"))],
    )
