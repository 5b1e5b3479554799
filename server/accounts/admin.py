from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import LoginLock, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "town", "is_active"]
    list_filter = ["role", "town", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "phone"]
    filter_horizontal = ["villages", "facilities", "groups", "user_permissions"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("角色与负责范围", {"fields": ("role", "town", "villages", "facilities", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("角色与负责范围", {"fields": ("role", "town", "phone")}),
    )


@admin.register(LoginLock)
class LoginLockAdmin(admin.ModelAdmin):
    """Temporary lock-outs; deleting one lets that user log in again from that address."""

    list_display = ["username", "ip", "locked_at", "until"]
    search_fields = ["username", "ip"]
    readonly_fields = ["username", "ip", "locked_at", "until"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
