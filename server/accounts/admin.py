from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.forms import LockoutAdminAuthenticationForm
from accounts.lockout import login_lock_lift
from accounts.models import LoginLock, User

admin.site.login_form = LockoutAdminAuthenticationForm


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
    """Temporary lock-outs; deleting one lets that user log in again from that address (or
    from everywhere) and forgets the failures behind it."""

    list_display = ["username", "ip", "all_addresses", "locked_at", "until"]
    list_filter = ["all_addresses"]
    search_fields = ["username", "ip"]
    readonly_fields = ["username", "ip", "all_addresses", "locked_at", "until"]

    def delete_model(self, request, obj: LoginLock) -> None:
        login_lock_lift(lock=obj)

    def delete_queryset(self, request, queryset) -> None:
        for lock in queryset:
            login_lock_lift(lock=lock)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
