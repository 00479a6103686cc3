from django.contrib import admin

from convene.core.admin import AuditedAdmin

from .models import Document


@admin.register(Document)
class DocumentAdmin(AuditedAdmin):
    list_display = ["title", "network", "confidentiality", "filename", "size", "created_at"]
    list_filter = ["network", "confidentiality"]
    search_fields = ["title", "filename"]
    raw_id_fields = ["body", "uploaded_by"]

    def network_id_of(self, obj):
        return obj.network_id
