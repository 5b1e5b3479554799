"""Reads of the registry that more than one app needs. Selectors never write."""

import datetime as dt

from registry.models import RegistryChange

DATE_FIELDS = {"status_date", "stage_date"}


def _decoded(field: str, value):
    if field in DATE_FIELDS and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def registry_baseline() -> dict[str, dict[str, dict]]:
    """{object_type: {code: {field: value}}}: each field that following the field's
    submissions changed, as it was before the first such change."""
    baseline: dict[str, dict[str, dict]] = {}
    first_changes = (
        RegistryChange.objects.exclude(field="created")
        .order_by("pk")
        .values_list("object_type", "code", "field", "old_value")
    )
    for object_type, code, field, old_value in first_changes:
        fields = baseline.setdefault(object_type, {}).setdefault(code, {})
        fields.setdefault(field, _decoded(field, old_value))
    return baseline


def registry_change_list(*, object_type: str, code: str) -> list[RegistryChange]:
    """The history of one registry object, oldest first."""
    return list(
        RegistryChange.objects.filter(object_type=object_type, code=code)
        .select_related("submission", "changed_by")
        .order_by("pk")
    )
