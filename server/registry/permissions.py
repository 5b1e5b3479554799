from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.scopes import can_manage_registry


class RegistryPermission(BasePermission):
    """Everyone signed in reads their part; town officials and district admins edit."""

    message = "只有镇级管理人员或区级管理员可以修改名录"

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or can_manage_registry(request.user)
