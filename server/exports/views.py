"""Downloads: the annual workbook and raw data. Town officials and district admins only;
the town's data (the ETL computes one town, 邹区镇)."""

import datetime as dt

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import BasePermission
from rest_framework.views import APIView

from accounts.scopes import can_manage_registry, is_district_admin
from etl.indicators import TOWN_CODE
from etl.tidy import FORM_SPECS
from exports import services

FIRST_YEAR = 2020


class JSONAnswers(BaseContentNegotiation):
    """Errors as JSON, whatever the client asks: DRF would read ``?format=csv`` as a request
    for a CSV renderer (and answer 404); here ``format`` is the download's format."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class CanExport(BasePermission):
    message = "只有镇级管理人员或区级管理员可以导出数据"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and can_manage_registry(user)):
            return False
        # Scoped to their town: the exports hold 邹区镇's data.
        return is_district_admin(user) or (user.town is not None and user.town.code == TOWN_CODE)


class AnnualQuery(serializers.Serializer):
    year = serializers.IntegerField(
        error_messages={"required": "请提供 year（如 2025）", "invalid": "year 应为年份，如 2025"}
    )

    def validate_year(self, year: int) -> int:
        last = dt.date.today().year
        if not FIRST_YEAR <= year <= last:
            raise serializers.ValidationError(f"year 应在 {FIRST_YEAR}–{last} 之间")
        return year


class RawQuery(serializers.Serializer):
    form = serializers.MultipleChoiceField(
        choices=sorted(FORM_SPECS),
        required=False,
        error_messages={
            "invalid_choice": "未知表单 {input}，可选：" + "、".join(sorted(FORM_SPECS))
        },
    )
    format = serializers.ChoiceField(
        choices=["xlsx", "csv", "geojson"],
        default="xlsx",
        error_messages={"invalid_choice": "format 应为 csv、xlsx 或 geojson"},
    )
    lang = serializers.ChoiceField(
        choices=["zh", "en"], default="zh", error_messages={"invalid_choice": "lang 应为 zh 或 en"}
    )


def _download(export: services.ExportFile) -> FileResponse:
    return FileResponse(
        export.file, as_attachment=True, filename=export.filename, content_type=export.content_type
    )


class AnnualWorkbookAPI(APIView):
    """The annual assessment workbook (python -m etl export) as a download."""

    permission_classes = [CanExport]
    content_negotiation_class = JSONAnswers

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses={(200, services.XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request):
        query = AnnualQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        now = dt.datetime.now()
        export = services.annual_workbook_export(
            year=query.validated_data["year"], as_of=now.date(), generated_at=now
        )
        return _download(export)


class RawDataAPI(APIView):
    """Raw data per form (python -m etl raw): ?form=…&format=csv|xlsx|geojson&lang=zh|en."""

    permission_classes = [CanExport]
    content_negotiation_class = JSONAnswers

    @extend_schema(
        parameters=[
            OpenApiParameter("form", str, many=True, description="表单ID；xlsx/csv 时每次一个"),
            OpenApiParameter("format", str, enum=["xlsx", "csv", "geojson"]),
            OpenApiParameter("lang", str, enum=["zh", "en"]),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        data = {
            "form": request.query_params.getlist("form"),
            "format": request.query_params.get("format", "xlsx"),
            "lang": request.query_params.get("lang", "zh"),
        }
        query = RawQuery(data=data)
        query.is_valid(raise_exception=True)
        forms = sorted(query.validated_data.get("form") or [])
        fmt = query.validated_data["format"]
        if not forms:
            if fmt != "geojson":
                raise exceptions.ValidationError({"form": "请提供 form（表单ID）"})
            forms = sorted(FORM_SPECS)
        export = services.raw_data_export(
            form_ids=forms, fmt=fmt, lang=query.validated_data["lang"]
        )
        return _download(export)
