from rest_framework import serializers

from registry.models import (
    AdministrativeVillage,
    Contractor,
    NaturalVillage,
    SewageFacility,
    Town,
    WaterBody,
)


class TownSerializer(serializers.ModelSerializer):
    class Meta:
        model = Town
        fields = ["id", "code", "name", "name_en", "district", "latitude", "longitude"]


class AdministrativeVillageSerializer(serializers.ModelSerializer):
    town = serializers.SlugRelatedField(slug_field="code", queryset=Town.objects.all())

    class Meta:
        model = AdministrativeVillage
        fields = ["id", "code", "name", "name_en", "kind", "town", "latitude", "longitude"]


class NaturalVillageSerializer(serializers.ModelSerializer):
    admin_village = serializers.SlugRelatedField(
        slug_field="code", queryset=AdministrativeVillage.objects.all()
    )
    admin_village_name = serializers.CharField(source="admin_village.name", read_only=True)
    sewage_mode_display = serializers.CharField(source="get_sewage_mode_display", read_only=True)

    class Meta:
        model = NaturalVillage
        fields = [
            "id",
            "code",
            "name",
            "admin_village",
            "admin_village_name",
            "households",
            "households_connected",
            "population",
            "is_planned_development",
            "is_planned_relocation",
            "sewage_mode",
            "sewage_mode_display",
            "latitude",
            "longitude",
        ]

    def validate(self, attrs):
        households = attrs.get("households", getattr(self.instance, "households", 0))
        connected = attrs.get(
            "households_connected", getattr(self.instance, "households_connected", 0)
        )
        if connected > households:
            raise serializers.ValidationError({"households_connected": "已接入户数不能大于总户数"})
        return attrs


class ContractorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contractor
        fields = ["id", "code", "name", "contact_person", "phone"]


class SewageFacilitySerializer(serializers.ModelSerializer):
    natural_villages = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=NaturalVillage.objects.all()
    )
    contractor = serializers.SlugRelatedField(
        slug_field="code", queryset=Contractor.objects.all(), allow_null=True, required=False
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SewageFacility
        fields = [
            "id",
            "code",
            "name",
            "natural_villages",
            "process_type",
            "scale",
            "design_capacity",
            "commissioned_on",
            "contractor",
            "om_mode",
            "in_service",
            "status",
            "status_display",
            "status_date",
            "faults",
            "latitude",
            "longitude",
        ]
        # Followed from the latest inspection (registry.services), never written here.
        read_only_fields = ["status", "status_date", "faults"]

    def validate_natural_villages(self, value):
        if not value:
            raise serializers.ValidationError("至少选择一个服务自然村")
        return value


class WaterBodySerializer(serializers.ModelSerializer):
    admin_village = serializers.SlugRelatedField(
        slug_field="code", queryset=AdministrativeVillage.objects.all()
    )
    natural_village = serializers.SlugRelatedField(
        slug_field="code",
        queryset=NaturalVillage.objects.all(),
        allow_null=True,
        required=False,
    )
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = WaterBody
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "admin_village",
            "natural_village",
            "length_m",
            "area_m2",
            "stage",
            "stage_display",
            "stage_date",
            "is_confirmed",
            "latitude",
            "longitude",
        ]

    def validate(self, attrs):
        admin = attrs.get("admin_village", getattr(self.instance, "admin_village", None))
        natural = attrs.get("natural_village", getattr(self.instance, "natural_village", None))
        if natural is not None and admin is not None and natural.admin_village_id != admin.pk:
            raise serializers.ValidationError({"natural_village": "该自然村不属于所选行政村"})
        return attrs
