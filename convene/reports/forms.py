from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SECTIONS, Report


class RecipientsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [a.strip() for a in text.replace(",", "\n").replace(";", "\n").split("\n") if a.strip()]

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value


class ReportForm(forms.Form):
    audience = forms.ChoiceField(label=_("Audience"), choices=Report.Audience.choices)
    period = forms.ChoiceField(label=_("Period"), choices=Report.Period.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Which quarter or half"),
        min_value=1,
        max_value=4,
        initial=1,
        help_text=_("Ignored for a year."),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Blank: from the period.")
    )
    recipients = RecipientsField(label=_("Recipients (e-mail addresses)"), required=False)


class NarrativeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    recipients = RecipientsField(label=_("Recipients (e-mail addresses)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in SECTIONS:
            self.fields[f"section_{key}"] = forms.CharField(
                label=label, widget=forms.Textarea(attrs={"rows": 4}), required=False
            )

    def values(self) -> dict:
        data = self.cleaned_data
        narrative = {key: data[f"section_{key}"] for key, _label in SECTIONS}
        return {"title": data["title"], "recipients": data["recipients"], "narrative": narrative}
