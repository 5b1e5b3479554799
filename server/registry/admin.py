"""The registry in the admin. District administrators see and change everything; a town
official sees and changes only their town's rows (accounts.scopes) and cannot move a row
to another town: every choice of a village, facility or contractor offers only their town's,
so a tampered form is refused with a field error."""

from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from accounts import scopes
from accounts.models import Role, User
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


def contractors_for_user(*, user: User) -> QuerySet[Contractor]:
    """Contractors a town official deals with: those running a facility of the town, and
    those not running any yet."""
    if scopes.is_district_admin(user):
        return Contractor.objects.all()
    if not (user.is_authenticated and user.role == Role.TOWN_OFFICIAL):
        return Contractor.objects.none()
    serving = scopes.facilities_for_user(user=user).values("contractor_id")
    return Contractor.objects.filter(Q(pk__in=serving) | Q(facilities__isnull=True)).distinct()


def _town_official(user: User) -> bool:
    return user.is_authenticated and user.role == Role.TOWN_OFFICIAL and user.town_id is not None


# The rows of each registry model a user may see and choose in the admin.
_SCOPES = {
    Town: scopes.towns_for_user,
    AdministrativeVillage: scopes.admin_villages_for_user,
    NaturalVillage: scopes.natural_villages_for_user,
    SewageFacility: scopes.facilities_for_user,
    WaterBody: scopes.water_bodies_for_user,
    Contractor: contractors_for_user,
}


def rows_for_user(model: type[models.Model], user: User) -> QuerySet | None:
    """The user's rows of a registry model; None means all (district administrators)."""
    if scopes.is_district_admin(user):
        return None
    if not _town_official(user):
        return model._default_manager.none()
    return model._default_manager.filter(pk__in=_SCOPES[model](user=user).values("pk"))


class TownScoped:
    """Admin (or inline) of a registry model, limited to the user's town."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if scopes.is_district_admin(request.user):
            return queryset
        if not _town_official(request.user):
            return queryset.none()
        return self.town_rows(queryset, request.user)

    def town_rows(self, queryset: QuerySet, user: User) -> QuerySet:
        return queryset.filter(pk__in=rows_for_user(self.model, user).values("pk"))

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.related_model in _SCOPES:
            rows = rows_for_user(db_field.related_model, request.user)
            if rows is not None:
                kwargs["queryset"] = rows
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.related_model in _SCOPES:
            rows = rows_for_user(db_field.related_model, request.user)
            if rows is not None:
                kwargs["queryset"] = rows
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _imported_codes(data: bytes, filename: str) -> dict[type[models.Model], tuple[str, set[str]]]:
    """The codes each sheet of an import file names (its key column): model → (sheet, codes)."""
    codes: dict[type[models.Model], tuple[str, set[str]]] = {}
    for spec, rows in importing._tables(data, filename):
        if not rows:
            continue
        headers = [importing._header(cell) for cell in rows[0]]
        if spec.key.header not in headers:
            continue  # the import reports the missing column
        column = headers.index(spec.key.header)
        found = {importing._text(row[column]) for row in rows[1:] if column < len(row)} - {""}
        codes.setdefault(spec.model, (spec.name, set()))[1].update(found)
    return codes


def _outside_town(model: type[models.Model], codes: set[str], user: User) -> list[str]:
    rows = model._default_manager.filter(code__in=codes)
    allowed = rows_for_user(model, user)
    if allowed is not None:
        rows = rows.exclude(pk__in=allowed.values("pk"))
    return sorted(rows.values_list("code", flat=True))


def registry_import_for_user(*, file, user: User) -> importing.ImportResult:
    """importing.registry_import, for a town official only about their town: rows already
    belonging to another town, or rows that would land in another town (or in none), make
    the whole import fail with nothing written."""
    if scopes.is_district_admin(user):
        return importing.registry_import(file=file, filename=file.name)
    data = file.read()
    codes = _imported_codes(data, file.name)

    def check() -> None:
        for model, (sheet, model_codes) in codes.items():
            if outside := _outside_town(model, model_codes, user):
                shown = "、".join(outside[:20]) + ("等" if len(outside) > 20 else "")
                raise importing.ImportFailed(
                    [importing.RowError(sheet, 0, "", f"不属于本镇，不能导入：{shown}")]
                )

    check()  # rows of another town are not changed
    with transaction.atomic():
        result = importing.registry_import(file=_Upload(data, file.name), filename=file.name)
        check()  # nor does the import put rows into another town; raising rolls it back
    return result


class _Upload:
    def __init__(self, data: bytes, name: str) -> None:
        self._data, self.name = data, name

    def read(self) -> bytes:
        return self._data


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
                result = registry_import_for_user(file=upload, user=request.user)
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
class TownAdmin(TownScoped, admin.ModelAdmin):
    list_display = ["code", "name", "district", "latitude", "longitude"]
    search_fields = ["code", "name"]


@admin.register(AdministrativeVillage)
class AdministrativeVillageAdmin(TownScoped, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "town"]
    list_filter = ["kind", ("town", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name", "name_en"]


@admin.register(NaturalVillage)
class NaturalVillageAdmin(TownScoped, ImportMixin, admin.ModelAdmin):
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
        ("admin_village", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "name", "admin_village__name"]
    list_select_related = ["admin_village"]
    autocomplete_fields = ["admin_village"]


class FacilityVillageInline(TownScoped, admin.TabularInline):
    """The natural villages a facility serves. A town official sees and edits only their
    town's (another town's stay as they are) and must keep at least one, or the facility
    would leave their town."""

    model = FacilityVillage
    extra = 1
    autocomplete_fields = ["natural_village"]

    def town_rows(self, queryset: QuerySet, user: User) -> QuerySet:
        villages = rows_for_user(NaturalVillage, user)
        return queryset.filter(natural_village__in=villages.values("pk"))

    def get_min_num(self, request: HttpRequest, obj=None, **kwargs) -> int | None:
        return None if scopes.is_district_admin(request.user) else 1

    def get_formset(self, request: HttpRequest, obj=None, **kwargs):
        kwargs.setdefault("validate_min", not scopes.is_district_admin(request.user))
        return super().get_formset(request, obj, **kwargs)


@admin.register(Contractor)
class ContractorAdmin(TownScoped, admin.ModelAdmin):
    list_display = ["code", "name", "contact_person", "phone"]
    search_fields = ["code", "name"]


@admin.register(SewageFacility)
class SewageFacilityAdmin(TownScoped, ImportMixin, admin.ModelAdmin):
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
    list_filter = [
        "status",
        "in_service",
        "process_type",
        "scale",
        ("contractor", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "name", "natural_villages__name"]
    list_select_related = ["contractor"]
    inlines = [FacilityVillageInline]
    date_hierarchy = "commissioned_on"


@admin.register(WaterBody)
class WaterBodyAdmin(TownScoped, ImportMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "admin_village", "stage", "stage_date", "is_confirmed"]
    list_filter = [
        "stage",
        "kind",
        "is_confirmed",
        ("admin_village", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "name", "admin_village__name"]
    list_select_related = ["admin_village"]
    autocomplete_fields = ["admin_village", "natural_village"]
