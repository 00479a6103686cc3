"""Decisions in the admin: to look, not to touch. A proposal's procedure and the register change only
through the services (pages, API), where the consensus rules and the audit apply; action items,
which carry no such rule, can be corrected here."""

from django.contrib import admin

from convene.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import (
    ActionItem,
    ActionUpdate,
    Consultation,
    Decision,
    Escalation,
    FocalPoint,
    Position,
    Proposal,
)


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    fields = ["organisation", "stance", "reason", "channel", "recorded_by", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "network", "body", "kind", "procedure", "status", "created_at"]
    list_filter = ["network", "kind", "status", "procedure"]
    list_select_related = ["network", "body"]
    search_fields = ["title", "text"]
    inlines = [PositionInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "network", "body", "adopted_at", "adopted_by"]
    list_filter = ["network", "year", "adopted_by"]
    list_select_related = ["network", "body"]
    search_fields = ["number", "title", "text"]


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "organisation", "stance", "channel", "updated_at"]
    list_filter = ["stance", "channel"]
    list_select_related = ["proposal", "organisation"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["title", "subject_title", "organisation", "required", "status", "consulted_on"]
    list_filter = ["status", "required"]
    list_select_related = ["proposal", "organisation"]


@admin.register(FocalPoint)
class FocalPointAdmin(ReadOnlyAdmin):
    """Designated and ended by the Secretariat in the network's pages (audited there)."""

    list_display = ["person", "organisation", "network", "designated_on", "ended_on"]
    list_filter = ["network"]
    list_select_related = ["person", "organisation", "network"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "to_body", "tabled_on", "outcome", "decided_on"]
    list_filter = ["outcome"]
    list_select_related = ["proposal", "to_body"]


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    fields = ["created_at", "author", "status", "is_comment", "text"]
    readonly_fields = ["created_at", "author"]


@admin.register(ActionItem)
class ActionItemAdmin(AuditedAdmin):
    list_display = ["title", "network", "owner_organisation", "owner", "due_date", "status"]
    list_filter = ["network", "status"]
    list_select_related = ["network", "owner_organisation", "owner"]
    search_fields = ["title"]
    raw_id_fields = ["decision", "minutes_item", "meeting", "owner", "created_by"]
    inlines = [ActionUpdateInline]

    def network_id_of(self, obj):
        return obj.network_id


@admin.register(ActionUpdate)
class ActionUpdateAdmin(AuditedAdmin):
    list_display = ["action", "author", "status", "is_comment", "created_at"]
    list_select_related = ["action", "author"]
    raw_id_fields = ["action", "author"]

    def network_id_of(self, obj):
        return obj.action.network_id
