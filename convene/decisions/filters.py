"""FilterSets shared by the register, the action list and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import ActionItem, Decision


class DecisionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    body = django_filters.CharFilter(field_name="body__slug", label=_("Body"))
    year = django_filters.NumberFilter(field_name="year", label=_("Year"))
    topic = django_filters.CharFilter(field_name="topic", lookup_expr="iexact", label=_("Topic"))
    status = django_filters.ChoiceFilter(
        method="filter_status",
        label=_("Status"),
        choices=[("in_force", _("In force")), ("amended", _("Amended")), ("superseded", _("Superseded"))],
    )
    adopted_by = django_filters.ChoiceFilter(choices=Decision.AdoptedBy.choices, label=_("How adopted"))

    class Meta:
        model = Decision
        fields = ["q", "body", "year", "topic", "status", "adopted_by"]

    def search(self, queryset, name, value):
        words = value.split()
        for word in words[:8]:
            queryset = queryset.filter(
                Q(number__icontains=word)
                | Q(title__icontains=word)
                | Q(text__icontains=word)
                | Q(topic__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        superseded = Exists(Decision.objects.filter(supersedes=OuterRef("pk")))
        amended = Exists(Decision.objects.filter(amends=OuterRef("pk")))
        if value == "superseded":
            return queryset.filter(superseded)
        if value == "amended":
            return queryset.filter(amended).exclude(superseded)
        return queryset.exclude(superseded)


class ActionItemFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ActionItem.Status.choices, label=_("Status"))
    owner = django_filters.CharFilter(
        field_name="owner_organisation__acronym", lookup_expr="iexact", label=_("Owner organisation")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    decision = django_filters.CharFilter(field_name="decision__number", label=_("Decision number"))

    class Meta:
        model = ActionItem
        fields = ["status", "owner", "overdue", "decision"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=ActionItem.UNFINISHED, due_date__lt=self.request.network.today())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
