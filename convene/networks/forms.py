from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import monitoring
from .models import Body, Membership, Organisation, Representative


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DatedForm(forms.Form):
    """Forms with a start and an end date say so when the end comes first."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class OrganisationForm(forms.Form):
    acronym = forms.CharField(label=_("Acronym"), max_length=40)
    name = forms.CharField(label=_("Full name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    country = forms.CharField(
        label=_("Country (ISO code)"),
        max_length=2,
        required=False,
        help_text=_("For a national organisation, e.g. KE or KZ; blank for international ones."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if country and not (len(country) == 2 and country.isalpha()):
            raise forms.ValidationError(_("Use the two-letter ISO code, e.g. KE."))
        return country


class MembershipForm(DatedForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.all())
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.all())
    applied_on = forms.DateField(label=_("Applied on"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ApplicationDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())
    note = forms.CharField(
        label=pgettext_lazy("where a decision is recorded", "Record"),
        max_length=300,
        required=False,
        help_text=_("e.g. the meeting where it was decided"),
    )


class RepresentativeForm(DatedForm):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, required=False, help_text=_("Needed for a new person.")
    )
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Representative.Kind.choices)
    participation_level = forms.CharField(label=_("Participation level"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())


class RepresentativeEditForm(DatedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Representative.Kind.choices)
    participation_level = forms.CharField(label=_("Participation level"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())


class WorkingGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    focus = forms.CharField(label=_("Focus"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    permanence = forms.ChoiceField(label=_("Permanence"), choices=Body.Permanence.choices)
    external_partners_allowed = forms.BooleanField(
        label=_("External partners may take part"), required=False, initial=True
    )
    co_chair_term_months = forms.IntegerField(
        label=_("Co-chair term (months)"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Blank: as the charter says."),
    )
    participation_level = forms.CharField(label=_("Participation level"), max_length=200, required=False)


class MembershipEditForm(DatedForm):
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        help_text=_("The end of a term, if it has one."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class EndDateForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())


class CoChairsForm(DatedForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Co-chair organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(label=_("Term starts"), required=False, widget=DateInput())
    end_date = forms.DateField(
        label=_("Term ends"), required=False, widget=DateInput(), help_text=_("Blank: the charter's term.")
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            memberships__body=body, memberships__status=Membership.Status.ACTIVE
        ).distinct()
        if warning := monitoring.rotation_warning(body):
            self.fields["organisations"].help_text = warning
