import django_filters

from registry.choices import FacilityStatus, SewageMode, WaterBodyKind, WaterBodyStage
from registry.models import AdministrativeVillage, NaturalVillage, SewageFacility, WaterBody


class AdministrativeVillageFilter(django_filters.FilterSet):
    town = django_filters.CharFilter(field_name="town__code")

    class Meta:
        model = AdministrativeVillage
        fields = ["town", "kind"]


class NaturalVillageFilter(django_filters.FilterSet):
    admin_village = django_filters.CharFilter(field_name="admin_village__code")
    town = django_filters.CharFilter(field_name="admin_village__town__code")
    sewage_mode = django_filters.MultipleChoiceFilter(choices=SewageMode.choices)
    treated = django_filters.BooleanFilter(method="filter_treated")

    class Meta:
        model = NaturalVillage
        fields = [
            "admin_village",
            "town",
            "sewage_mode",
            "is_planned_development",
            "is_planned_relocation",
        ]

    def filter_treated(self, queryset, name, value):
        if value:
            return queryset.exclude(sewage_mode=SewageMode.NONE)
        return queryset.filter(sewage_mode=SewageMode.NONE)


class SewageFacilityFilter(django_filters.FilterSet):
    natural_village = django_filters.CharFilter(field_name="natural_villages__code")
    admin_village = django_filters.CharFilter(
        field_name="natural_villages__admin_village__code", distinct=True
    )
    contractor = django_filters.CharFilter(field_name="contractor__code")
    status = django_filters.MultipleChoiceFilter(choices=FacilityStatus.choices)
    commissioned_after = django_filters.DateFilter(field_name="commissioned_on", lookup_expr="gte")
    commissioned_before = django_filters.DateFilter(field_name="commissioned_on", lookup_expr="lte")

    class Meta:
        model = SewageFacility
        fields = ["natural_village", "admin_village", "contractor", "status", "in_service"]


class WaterBodyFilter(django_filters.FilterSet):
    admin_village = django_filters.CharFilter(field_name="admin_village__code")
    natural_village = django_filters.CharFilter(field_name="natural_village__code")
    stage = django_filters.MultipleChoiceFilter(choices=WaterBodyStage.choices)
    kind = django_filters.MultipleChoiceFilter(choices=WaterBodyKind.choices)

    class Meta:
        model = WaterBody
        fields = ["admin_village", "natural_village", "stage", "kind", "is_confirmed"]
