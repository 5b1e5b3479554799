"""Input and output shapes of the indicators API."""

from urllib.parse import urlencode

from django.urls import reverse
from rest_framework import serializers

from indicators.models import IndicatorSnapshot, Level


class IndicatorQuery(serializers.Serializer):
    """?level=&period=&code=&village= of the list; ?area= too for one value's records."""

    level = serializers.ChoiceField(
        choices=Level.choices,
        default=Level.TOWN,
        error_messages={"invalid_choice": "level 应为 town、admin_village 或 natural_village"},
    )
    period = serializers.CharField(required=False, max_length=7)
    code = serializers.CharField(required=False, max_length=40)
    village = serializers.RegexField(
        r"^\d{12}(\d{3})?$",
        required=False,
        error_messages={"invalid": "village 应为12位行政村代码或15位自然村代码"},
    )
    area = serializers.RegexField(
        r"^\d{9}(\d{3})?(\d{3})?$",
        required=False,
        error_messages={"invalid": "area 应为9位镇代码、12位行政村代码或15位自然村代码"},
    )

    def validate_period(self, value: str) -> str:
        from etl.indicators import period_parse

        try:
            period_parse(value)
        except ValueError:
            raise serializers.ValidationError(
                "period 应为年份(2025)、季度(2025-Q3)或月份(2025-07)"
            ) from None
        return value


class IndicatorOutput(serializers.ModelSerializer):
    records_count = serializers.IntegerField(source="record_count")
    records = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorSnapshot
        fields = [
            "code",
            "name_zh",
            "name_en",
            "unit",
            "level",
            "area_code",
            "area_name",
            "period",
            "value",
            "numerator",
            "denominator",
            "target",
            "met",
            "records_count",
            "records",
            "details",
            "as_of",
            "computed_at",
        ]

    def get_records(self, snapshot: IndicatorSnapshot) -> str:
        """The link to the records behind this value."""
        path = reverse("indicator-records", kwargs={"code": snapshot.code})
        query = urlencode(
            {"level": snapshot.level, "period": snapshot.period, "area": snapshot.area_code}
        )
        request = self.context.get("request")
        url = f"{path}?{query}"
        return request.build_absolute_uri(url) if request else url


# What the ids of each indicator's records are, and where the API shows them.
RECORD_KINDS = {
    "SEWAGE_COVERAGE": ("natural_village", "natural-village-detail"),
    "FACILITY_OPERATION": ("facility", "facility-detail"),
    "BLACK_WATER_ELIMINATION": ("water_body", "water-body-detail"),
    "FILM_RECOVERY": ("submission", None),
    "STRAW_UTILIZATION": ("submission", None),
}


def record_rows(snapshot: IndicatorSnapshot, basis: list[dict], request) -> list[dict]:
    """Each record behind ``snapshot``: its id, what it contributed, and links to the
    registry row and to the submission that decided it."""
    kind, route = RECORD_KINDS.get(snapshot.code, ("submission", None))

    def absolute(url: str) -> str:
        return request.build_absolute_uri(url) if request else url

    def submission_url(instance_id: str | None) -> str | None:
        if not instance_id:
            return None
        return absolute(f"{reverse('submission-list')}?{urlencode({'instance_id': instance_id})}")

    rows = []
    for entry in basis:
        registry_url = (
            absolute(reverse(route, kwargs={"code": entry["id"]})) if route is not None else None
        )
        rows.append(
            {
                "id": entry["id"],
                "kind": kind,
                "numerator": entry["numerator"],
                "denominator": entry["denominator"],
                "natural_village_code": entry["natural_village_code"],
                "category": entry["category"],
                "source_instance_id": entry["source_id"],
                "registry_url": registry_url,
                "submission_url": submission_url(entry["source_id"]),
            }
        )
    return rows
