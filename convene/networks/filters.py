"""FilterSets shared by the pages and the API."""

import django_filters
from django.db.models import Q

from convene.core.models import ChangeLog

from .models import Body, Membership, Organisation, Representative, body_live, current_representative

# Filters ---------------------------------------------------------------------------------------


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Acronym or name contains")

    class Meta:
        model = Organisation
        fields = ["kind", "country", "un_category"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(acronym__icontains=value) | Q(name__icontains=value))


class BodyFilterSet(django_filters.FilterSet):
    active = django_filters.BooleanFilter(method="filter_active")

    class Meta:
        model = Body
        fields = ["kind", "permanence"]

    def filter_active(self, queryset, name, value):
        live = body_live(self.request.network.today())
        return queryset.filter(live) if value else queryset.exclude(live)


class MembershipFilterSet(django_filters.FilterSet):
    body = django_filters.CharFilter(field_name="body__slug")
    organisation = django_filters.CharFilter(field_name="organisation__acronym", lookup_expr="iexact")

    class Meta:
        model = Membership
        fields = ["body", "organisation", "role", "status"]


class RepresentativeFilterSet(django_filters.FilterSet):
    body = django_filters.CharFilter(field_name="membership__body__slug")
    organisation = django_filters.CharFilter(
        field_name="membership__organisation__acronym", lookup_expr="iexact"
    )
    email = django_filters.CharFilter(field_name="person__email", lookup_expr="iexact")
    current = django_filters.BooleanFilter(method="filter_current")

    class Meta:
        model = Representative
        fields = ["kind"]

    def filter_current(self, queryset, name, value):
        live = current_representative(self.request.network.today())
        return queryset.filter(live) if value else queryset.exclude(live)


class ChangeLogFilterSet(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=ChangeLog.Action.choices)
    source = django_filters.ChoiceFilter(choices=ChangeLog.Source.choices)
    model = django_filters.CharFilter(field_name="content_type__model", label="Record type")
    actor = django_filters.CharFilter(field_name="actor__email", lookup_expr="iexact", label="By (e-mail)")
    since = django_filters.DateFilter(field_name="timestamp", lookup_expr="date__gte", label="Since")

    class Meta:
        model = ChangeLog
        fields = ["action", "source", "model", "actor", "since"]
