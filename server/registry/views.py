"""REST API of the registry: thin views over scoped querysets."""

from django.db.models import ProtectedError
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.scopes import (
    admin_villages_for_user,
    facilities_for_user,
    natural_villages_for_user,
    towns_for_user,
    water_bodies_for_user,
)
from registry import filters, serializers, services
from registry.models import (
    AdministrativeVillage,
    Contractor,
    NaturalVillage,
    SewageFacility,
    Town,
    WaterBody,
)
from registry.permissions import RegistryPermission


class RegistryViewSet(viewsets.ModelViewSet):
    permission_classes = [RegistryPermission]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    ordering = ["code"]

    def destroy(self, request, *args, **kwargs):
        try:
            return super().destroy(request, *args, **kwargs)
        except ProtectedError as exc:
            names = "、".join(sorted({str(o) for o in exc.protected_objects})[:10])
            return Response(
                {"detail": f"仍有记录引用该对象，不能删除：{names}"},
                status=status.HTTP_409_CONFLICT,
            )

    def admin_villages_written(self, data: dict) -> list:
        """The administrative villages a create or update touches; each must be in scope."""
        return []

    def _check_scope(self, serializer) -> None:
        allowed = admin_villages_for_user(user=self.request.user)
        for admin_village in self.admin_villages_written(serializer.validated_data):
            if admin_village is not None and not allowed.filter(pk=admin_village.pk).exists():
                raise PermissionDenied("不能修改本人负责范围以外的村")

    def perform_create(self, serializer):
        self._check_scope(serializer)
        serializer.save()

    def perform_update(self, serializer):
        self._check_scope(serializer)
        serializer.save()


class TownViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Town.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = serializers.TownSerializer
    lookup_field = "code"
    search_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self):
        return towns_for_user(user=self.request.user)


class AdministrativeVillageViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        AdministrativeVillage.objects.none()
    )  # the model, for the schema; get_queryset scopes
    serializer_class = serializers.AdministrativeVillageSerializer
    filterset_class = filters.AdministrativeVillageFilter
    lookup_field = "code"
    search_fields = ["code", "name", "name_en"]
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self):
        return admin_villages_for_user(user=self.request.user).select_related("town")


class NaturalVillageViewSet(RegistryViewSet):
    queryset = NaturalVillage.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = serializers.NaturalVillageSerializer
    filterset_class = filters.NaturalVillageFilter
    search_fields = ["code", "name", "admin_village__name"]
    ordering_fields = ["code", "name", "households", "population"]

    def get_queryset(self):
        return natural_villages_for_user(user=self.request.user)

    def admin_villages_written(self, data: dict) -> list:
        return [data.get("admin_village")]


class SewageFacilityViewSet(RegistryViewSet):
    queryset = SewageFacility.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = serializers.SewageFacilitySerializer
    filterset_class = filters.SewageFacilityFilter
    search_fields = ["code", "name", "natural_villages__name"]
    ordering_fields = ["code", "name", "design_capacity", "status_date", "commissioned_on"]

    def get_queryset(self):
        return (
            facilities_for_user(user=self.request.user)
            .select_related("contractor")
            .prefetch_related("natural_villages")
        )

    def admin_villages_written(self, data: dict) -> list:
        return [village.admin_village for village in data.get("natural_villages", [])]


class WaterBodyViewSet(RegistryViewSet):
    queryset = WaterBody.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = serializers.WaterBodySerializer
    filterset_class = filters.WaterBodyFilter
    search_fields = ["code", "name", "admin_village__name"]
    ordering_fields = ["code", "name", "stage", "stage_date"]

    def get_queryset(self):
        return water_bodies_for_user(user=self.request.user)

    def admin_villages_written(self, data: dict) -> list:
        return [data.get("admin_village")]

    @extend_schema(request=None, responses=serializers.WaterBodySerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, code=None):
        """确认现场新报告的水体（本镇镇级管理人员）：确认后计入黑臭水体清单和指标。"""
        body = self.get_object()
        try:
            body = services.water_body_confirm(body=body, user=request.user)
        except services.WaterBodyConfirmError as exc:
            return Response({"detail": str(exc)}, status=exc.status)
        return Response(self.get_serializer(body).data)


class ContractorViewSet(RegistryViewSet):
    serializer_class = serializers.ContractorSerializer
    search_fields = ["code", "name"]
    queryset = Contractor.objects.all()
