from django.contrib import admin

from convene.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Report, ReportVersion


@admin.register(Report)
class ReportAdmin(AuditedAdmin):
    list_display = ["title", "network", "audience", "period", "start", "end"]
    list_filter = ["network", "audience", "period"]
    raw_id_fields = ["created_by"]

    def network_id_of(self, obj):
        return obj.network_id


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    """Issued versions are frozen: shown, never changed."""

    list_display = ["report", "version", "issued_at", "issued_by"]
