"""Users, role groups and lock-outs in the admin.

District administrators manage users; a town official may look up the users of their own
town (read-only). Admin access and permissions come from the role (accounts.roles): the
group and staff fields are shown, not edited.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from accounts.forms import LockoutAdminAuthenticationForm
from accounts.lockout import login_lock_lift
from accounts.models import LoginLock, Role, User
from accounts.scopes import is_district_admin

admin.site.login_form = LockoutAdminAuthenticationForm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "town", "is_active"]
    list_filter = ["role", "town", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "phone"]
    filter_horizontal = ["villages", "facilities"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("first_name", "last_name", "email", "phone")}),
        ("角色与负责范围", {"fields": ("role", "town", "villages", "facilities")}),
        (
            "权限（由角色决定）",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("角色与负责范围", {"fields": ("role", "town", "phone")}),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["is_staff", "groups", "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        return readonly

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_district_admin(request.user):
            return queryset
        if request.user.role != Role.TOWN_OFFICIAL or request.user.town_id is None:
            return queryset.none()
        return queryset.filter(
            town_id=request.user.town_id,
            role__in=[Role.TOWN_OFFICIAL, Role.VILLAGE_WORKER, Role.CONTRACTOR],
            is_superuser=False,
        )

    def has_change_permission(self, request, obj=None) -> bool:
        # Only a superuser changes a superuser (a password reset would hand over everything).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(BaseGroupAdmin):
    """The role groups; their permissions are kept by accounts.roles on every migrate, so
    they are shown here, not edited."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
