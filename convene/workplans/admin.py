from django.contrib import admin

from convene.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import (
    Activity,
    GcmObjective,
    GuidingPrinciple,
    Indicator,
    MemberView,
    ProgressUpdate,
    SdgTarget,
    Workplan,
)

# Loaded from reference/ by a migration: read here, corrected in the sourced files.
admin.site.register(GcmObjective, ReadOnlyAdmin, list_display=["number", "short_label", "title"])
admin.site.register(GuidingPrinciple, ReadOnlyAdmin, list_display=["order", "name", "paragraph"])
admin.site.register(SdgTarget, ReadOnlyAdmin, list_display=["code", "goal_title", "relation", "text"])


@admin.register(Workplan)
class WorkplanAdmin(AuditedAdmin):
    list_display = ["title", "network", "working_group", "year", "status"]
    list_filter = ["network", "year", "status"]
    raw_id_fields = ["working_group", "created_by"]
    # Adoption is a power the charter gives to a body: only its decision adopts a workplan.
    readonly_fields = ["status", "proposal", "decision", "adopted_on"]

    def network_id_of(self, obj):
        return obj.network_id


@admin.register(Activity)
class ActivityAdmin(AuditedAdmin):
    list_display = ["code", "title", "workplan", "lead_organisation", "status", "budget"]
    list_filter = ["workplan__network", "status"]
    list_select_related = ["workplan", "lead_organisation"]
    search_fields = ["title", "code"]
    raw_id_fields = ["workplan", "lead_organisation", "working_group"]
    filter_horizontal = ["participants", "gcm_objectives", "guiding_principles", "sdg_targets"]

    def network_id_of(self, obj):
        return obj.workplan.network_id


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["name", "activity", "baseline", "target", "actual"]
    raw_id_fields = ["activity"]

    def network_id_of(self, obj):
        return obj.activity.workplan.network_id


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(AuditedAdmin):
    list_display = ["activity", "year", "quarter", "percent", "rag"]
    raw_id_fields = ["activity", "author"]

    def network_id_of(self, obj):
        return obj.activity.workplan.network_id


@admin.register(MemberView)
class MemberViewAdmin(AuditedAdmin):
    list_display = ["workplan", "organisation", "author", "updated_at"]
    raw_id_fields = ["workplan", "organisation", "author"]

    def network_id_of(self, obj):
        return obj.workplan.network_id
