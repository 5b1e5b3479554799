from django.contrib import admin

from indicators.models import (
    AlertThreshold,
    IndicatorSnapshot,
    IndicatorTarget,
    JudgementThreshold,
)


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "comparison", "target", "unit", "deadline_year"]
    list_editable = ["target"]
    readonly_fields = ["code", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False  # the five indicators are fixed; `load_targets` creates them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IndicatorSnapshot)
class IndicatorSnapshotAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "area_code", "period", "value", "target", "met"]
    list_filter = ["code", "level"]
    search_fields = ["area_code", "period"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AlertThreshold)
class AlertThresholdAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "value", "unit", "updated_at"]
    readonly_fields = ["code", "updated_at"]
    fields = ["code", "name_zh", "value", "unit", "note", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False  # the dashboard knows these rules; the migration and `load_targets` add them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(JudgementThreshold)
class JudgementThresholdAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "value", "unit", "source", "updated_at"]
    readonly_fields = ["code", "updated_at"]
    fields = ["code", "name_zh", "value", "unit", "source", "note", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False  # the ETL knows these rules; the migration and `load_targets` add them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
