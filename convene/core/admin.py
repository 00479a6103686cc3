from django.contrib import admin

from .audit import audit_source, diff, record_change, snapshot
from .models import ChangeLog, OutboundEmail, Schedule, SentReminder
from .validators import single_line, single_line_fields


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that change only through their services (or never): shown, not touched here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ["timestamp", "actor", "action", "source", "content_type", "object_repr", "network_id"]
    list_filter = ["action", "source", "content_type"]
    search_fields = ["object_repr"]
    date_hierarchy = "timestamp"


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits land in the same audit trail as everything else."""

    def network_id_of(self, obj) -> int | None:
        return None

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        model = getattr(db_field, "model", None)
        if formfield is not None and model is not None and db_field in single_line_fields(model):
            formfield.validators.append(single_line)  # shown on the field, not a 500 at save
        return formfield

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        with audit_source(ChangeLog.Source.ADMIN):
            record_change(
                actor=request.user,
                obj=obj,
                action=ChangeLog.Action.UPDATE if change else ChangeLog.Action.CREATE,
                network_id=self.network_id_of(obj),
                changes=diff(before, snapshot(obj)) if change else None,
            )

    def delete_model(self, request, obj):
        with audit_source(ChangeLog.Source.ADMIN):
            record_change(
                actor=request.user,
                obj=obj,
                action=ChangeLog.Action.DELETE,
                network_id=self.network_id_of(obj),
            )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "language", "status", "attempts", "sent_at", "network_id"]
    list_filter = ["status", "topic", "language"]
    search_fields = ["subject"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "sent_at"]
    search_fields = ["key"]


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdmin):
    """When each periodic task runs next, ran last, and which worker runs it now."""

    list_display = ["name", "next_run", "last_run", "running_since", "holder", "finished_at"]
