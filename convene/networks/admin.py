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


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "body"
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "status", "start_date", "end_date", "note"]


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ["name", "network", "kind", "permanence", "abolished_on"]
    list_filter = ["network", "kind"]
    search_fields = ["name"]

    def network_id_of(self, obj):
        return obj.network_id


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["organisation", "body", "role", "status", "start_date", "end_date"]
    list_filter = ["body__network", "role", "status"]
    list_select_related = ["organisation", "body"]
    autocomplete_fields = ["organisation", "body"]
    search_fields = ["organisation__acronym", "body__name"]

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
