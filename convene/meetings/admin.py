from django.contrib import admin

from convene.core.admin import AuditedAdmin

from .models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesComment,
    MinutesItem,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fk_name = "meeting"
    extra = 0
    fields = ["order", "title", "kind", "presenter", "duration_minutes", "status"]
    autocomplete_fields = ["presenter"]


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["title", "body", "kind", "status", "starts_at"]
    list_filter = ["network", "kind", "status"]
    list_select_related = ["body"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]
    raw_id_fields = ["unct_meeting", "series"]

    def network_id_of(self, obj):
        return obj.network_id


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(AuditedAdmin):
    list_display = ["title", "body", "rrule"]
    list_filter = ["network"]

    def network_id_of(self, obj):
        return obj.network_id


@admin.register(AgendaItem)
class AgendaItemAdmin(AuditedAdmin):
    list_display = ["title", "meeting", "order", "kind", "status"]
    list_select_related = ["meeting"]
    search_fields = ["title"]
    raw_id_fields = ["meeting", "previous_meeting"]

    def network_id_of(self, obj):
        return obj.meeting.network_id


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Feeds can be seen and deleted (which stops them); the token is never shown."""

    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    exclude = ["token"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Attendance)
class AttendanceAdmin(AuditedAdmin):
    list_display = ["meeting", "organisation", "status", "person", "capacity"]
    list_select_related = ["meeting", "organisation", "person"]
    raw_id_fields = ["meeting", "person"]

    def network_id_of(self, obj):
        return obj.meeting.network_id


class MinutesItemInline(admin.StackedInline):
    model = MinutesItem
    extra = 0
    fields = ["order", "title", "notes", "decisions", "action_points"]


@admin.register(Minutes)
class MinutesAdmin(AuditedAdmin):
    list_display = ["meeting", "version", "status", "approved_at", "disseminated_at"]
    list_filter = ["status"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting", "approved_at_meeting", "corrects"]
    inlines = [MinutesItemInline]

    def network_id_of(self, obj):
        return obj.meeting.network_id


@admin.register(MinutesItem)
class MinutesItemAdmin(AuditedAdmin):
    list_display = ["title", "minutes"]
    raw_id_fields = ["minutes", "agenda_item"]

    def network_id_of(self, obj):
        return obj.minutes.meeting.network_id


@admin.register(MinutesComment)
class MinutesCommentAdmin(AuditedAdmin):
    list_display = ["minutes", "author", "created_at"]
    raw_id_fields = ["minutes", "author"]

    def network_id_of(self, obj):
        return obj.minutes.meeting.network_id
