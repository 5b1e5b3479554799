from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from registry import importing
from registry.models import (
    AdministrativeVillage,
    Contractor,
    FacilityVillage,
    NaturalVillage,
    SewageFacility,
    Town,
    WaterBody,
)

admin.site.site_header = "邹区镇农村生态环境调查系统"
admin.site.site_title = "邹区镇调查系统"
admin.site.index_title = "管理"


class ImportMixin:
    """Adds 导入名录 (upload) and 下载模板 (template) to a registry admin's list page."""

    change_list_template = "admin/registry/change_list_with_import.html"

    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"registry_{self.model._meta.model_name}_import",
            ),
            path(
                "template/",
                self.admin_site.admin_view(self.template_view),
                name=f"registry_{self.model._meta.model_name}_template",
            ),
        ]
        return extra + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return HttpResponse(status=403)
        errors: list[importing.RowError] = []
        if request.method == "POST" and request.FILES.get("file"):
            upload = request.FILES["file"]
            try:
                result = importing.registry_import(file=upload, filename=upload.name)
            except importing.ImportFailed as exc:
                errors = exc.errors
            else:
                messages.success(request, result.summary())
                return redirect("..")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "导入名录",
            "errors": errors,
        }
        return render(request, "admin/registry/import.html", context)

    def template_view(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(
            importing.template_workbook(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''registry_template.xlsx"
        return response


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "latitude", "longitude"]
    search_fields = ["code", "name"]


@admin.register(AdministrativeVillage)
class AdministrativeVillageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "town"]
    list_filter = ["kind", "town"]
    search_fields = ["code", "name", "name_en"]


@admin.register(NaturalVillage)
class NaturalVillageAdmin(ImportMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "admin_village",
        "households",
        "households_connected",
        "sewage_mode",
        "is_planned_development",
        "is_planned_relocation",
    ]
    list_filter = [
        "sewage_mode",
        "is_planned_development",
        "is_planned_relocation",
        "admin_village",
    ]
    search_fields = ["code", "name", "admin_village__name"]
    list_select_related = ["admin_village"]
    autocomplete_fields = ["admin_village"]


class FacilityVillageInline(admin.TabularInline):
    model = FacilityVillage
    extra = 1
    autocomplete_fields = ["natural_village"]


@admin.register(Contractor)
class ContractorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "contact_person", "phone"]
    search_fields = ["code", "name"]


@admin.register(SewageFacility)
class SewageFacilityAdmin(ImportMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "process_type",
        "design_capacity",
        "contractor",
        "in_service",
        "status",
        "status_date",
    ]
    list_filter = ["status", "in_service", "process_type", "scale", "contractor"]
    search_fields = ["code", "name", "natural_villages__name"]
    list_select_related = ["contractor"]
    inlines = [FacilityVillageInline]
    date_hierarchy = "commissioned_on"


@admin.register(WaterBody)
class WaterBodyAdmin(ImportMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "admin_village", "stage", "stage_date", "is_confirmed"]
    list_filter = ["stage", "kind", "is_confirmed", "admin_village"]
    search_fields = ["code", "name", "admin_village__name"]
    list_select_related = ["admin_village"]
    autocomplete_fields = ["admin_village", "natural_village"]
