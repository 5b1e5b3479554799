"""The audit log in the admin: district administrators read, filter and export it.
Nobody adds, changes or deletes entries, superusers included."""

import csv
import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path
from django.utils import timezone

from accounts.scopes import is_district_admin
from audit.models import AuditAction, AuditEntry
from audit.services import audit_record

CSV_HEADER = ["时间", "用户名", "来源IP", "操作", "对象类型", "对象ID", "对象", "变更内容"]


class _Echo:
    def write(self, value: str) -> str:
        return value


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "ip", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["username", "object_id", "object_repr", "ip"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEntry._meta.fields]
    change_list_template = "admin/audit/auditentry/change_list.html"
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_district_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_district_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_csv)
        return [path("export.csv", export, name="audit_auditentry_export"), *super().get_urls()]

    def export_csv(self, request: HttpRequest):
        """The entries the change list shows with the same filters, as CSV (UTF-8 with BOM
        so that Excel opens the Chinese correctly)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        entries = self.get_changelist_instance(request).get_queryset(request)
        audit_record(
            action=AuditAction.EXPORT_DOWNLOAD,
            user=request.user,
            changes={"export": "audit_log", "query": request.GET.urlencode()},
        )
        writer = csv.writer(_Echo())

        def rows():
            yield "\ufeff" + writer.writerow(CSV_HEADER)
            for entry in entries.iterator(chunk_size=2000):
                yield writer.writerow(
                    [
                        timezone.localtime(entry.at).isoformat(timespec="seconds"),
                        entry.username,
                        entry.ip or "",
                        entry.get_action_display(),
                        entry.object_type,
                        entry.object_id,
                        entry.object_repr,
                        json.dumps(entry.changes, ensure_ascii=False),
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        return response
