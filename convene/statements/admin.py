"""Statements and releases in the admin: to look, not to touch. Clearance, sign-off and release
change only through the services, where the charter's rules and the audit apply."""

from django.contrib import admin

from convene.core.admin import ReadOnlyAdmin

from .models import Clearance, Comment, Delivery, Release, Round, SignOff, Statement, Version


class VersionInline(admin.TabularInline):
    model = Version
    extra = 0
    fields = ["number", "authoritative_language", "editorial", "note", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ClearanceInline(admin.TabularInline):
    model = Clearance
    extra = 0
    fields = ["organisation", "answer", "comment", "channel", "answered_by", "answered_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["title", "network", "kind", "audience", "status", "issued_at"]
    list_filter = ["network", "kind", "status"]
    search_fields = ["title"]
    inlines = [VersionInline]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "body", "procedure", "deadline", "outcome"]
    list_filter = ["procedure", "outcome"]
    inlines = [ClearanceInline]


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "network", "record_type", "status", "released_at"]
    list_filter = ["network", "status", "record_type"]
    search_fields = ["title"]


for model in (Version, Clearance, Comment, SignOff, Delivery):
    admin.site.register(model, ReadOnlyAdmin)
