from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from convene.core.admin import AuditedAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "job_title", "is_active", "is_staff", "is_demo"]
    list_filter = ["is_active", "is_staff", "is_superuser", "is_demo"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        # Django's own headings (django.contrib.auth's), translated in every shipped language.
        (_("Personal info"), {"fields": ["full_name", "job_title", "phone", "is_demo"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """Tokens can be seen and revoked here; they are created by their owner only."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__email", "prefix"]
    readonly_fields = ["user", "name", "prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
