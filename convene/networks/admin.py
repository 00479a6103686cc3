from django.contrib import admin
from django.db import models

from convene.core.admin import AuditedAdmin

from .models import Body, Membership, Network, Organisation, Representative, Rule


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["acronym", "name", "kind", "un_category", "country"]
    list_filter = ["kind", "un_category", "country"]
    search_fields = ["acronym", "name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Network)
class NetworkAdmin(AuditedAdmin):
    list_display = ["name", "slug", "country", "timezone"]
    prepopulated_fields = {"slug": ["name"]}

    def network_id_of(self, obj):
        return obj.pk


# Admitting members, establishing, changing and abolishing working groups and selecting co-chairs
# are powers the charter gives to a body: they go through the services (pages, API), which ask for
# that body's decision. Here those fields are shown, not changed.
POWER_FIELDS_OF_BODY = [
    "network",
    "kind",
    "name",
    "focus",
    "permanence",
    "external_partners_allowed",
    "co_chair_term_months",
    "participation_level",
    "established_on",
    "abolished_on",
]
POWER_FIELDS_OF_MEMBERSHIP = [
    "body",
    "organisation",
    "role",
    "status",
    "applied_on",
    "decided_on",
    "decided_by",
    "decision_note",
]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "body"
    extra = 0
    fields = ["organisation", "role", "status", "start_date", "end_date", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ["name", "network", "kind", "permanence", "abolished_on"]
    list_filter = ["network", "kind"]
    search_fields = ["name"]
    readonly_fields = POWER_FIELDS_OF_BODY
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def network_id_of(self, obj):
        return obj.network_id


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["organisation", "body", "role", "status", "start_date", "end_date"]
    list_filter = ["body__network", "role", "status"]
    list_select_related = ["organisation", "body"]
    search_fields = ["organisation__acronym", "body__name"]
    readonly_fields = POWER_FIELDS_OF_MEMBERSHIP

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def network_id_of(self, obj):
        return obj.body.network_id


@admin.register(Representative)
class RepresentativeAdmin(AuditedAdmin):
    list_display = ["person", "membership", "kind", "start_date", "end_date"]
    list_filter = ["membership__body__network", "kind"]
    list_select_related = ["person", "membership__organisation", "membership__body"]
    autocomplete_fields = ["person", "membership"]

    def network_id_of(self, obj):
        return obj.membership.body.network_id


@admin.register(Rule)
class RuleAdmin(AuditedAdmin):
    list_display = ["title", "network", "kind", "body", "authority"]
    list_filter = ["network", "kind"]

    def network_id_of(self, obj):
        return obj.network_id
