"""REST API of indicators: thin views over the published snapshots.

Bad query parameters answer 400 with a Chinese message saying what is expected.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.response import Response
from rest_framework.views import APIView

from etl.indicators import TOWN_CODE
from indicators import selectors
from indicators.models import IndicatorSnapshot, Level
from indicators.serializers import IndicatorOutput, IndicatorQuery, record_rows

QUERY_PARAMETERS = [
    OpenApiParameter("level", str, enum=[c for c, _ in Level.choices], description="默认 town"),
    OpenApiParameter(
        "period", str, description="2025、2025-Q3 或 2025-07；默认有完整数据的最近年份"
    ),
    OpenApiParameter("code", str, description="指标代码，如 SEWAGE_COVERAGE"),
    OpenApiParameter("village", str, description="行政村(12位)或自然村(15位)代码"),
]


def _query(request, *, code: str | None = None) -> dict:
    query = IndicatorQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    params = dict(query.validated_data)
    code = code or params.get("code")
    if code and code not in selectors.indicator_codes():
        raise exceptions.ValidationError(
            {"code": f"未知的指标代码 {code}，可选：{'、'.join(selectors.indicator_codes())}"}
        )
    params["code"] = code
    params.setdefault("period", selectors.snapshot_default_period() or "")
    return params


class IndicatorListAPI(generics.ListAPIView):
    """Published indicator values of one level and period, in the user's scope."""

    serializer_class = IndicatorOutput
    filter_backends: list = []

    @extend_schema(parameters=QUERY_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IndicatorSnapshot.objects.none()
        params = _query(self.request)
        return selectors.snapshot_list(
            user=self.request.user,
            level=params["level"],
            period=params["period"],
            code=params["code"],
            village=params.get("village"),
        )


class IndicatorRecordsAPI(APIView):
    """The records behind one published value: ?level=&period=&area=."""

    @extend_schema(
        parameters=[
            *QUERY_PARAMETERS[:2],
            OpenApiParameter("area", str, description="区域代码；镇级可省略"),
        ],
        responses=None,
    )
    def get(self, request, code: str):
        params = _query(request, code=code)
        area = params.get("area")
        if not area:
            if params["level"] != Level.TOWN:
                raise exceptions.ValidationError({"area": "请提供 area（行政村或自然村代码）"})
            area = request.user.town.code if getattr(request.user, "town", None) else TOWN_CODE
        snapshot = selectors.snapshot_get(
            user=request.user, code=code, level=params["level"], period=params["period"], area=area
        )
        if snapshot is None:
            raise exceptions.NotFound("没有该指标值，或不在您的查看范围内")
        return Response(
            {
                **IndicatorOutput(snapshot, context={"request": request}).data,
                "records": record_rows(
                    snapshot, selectors.snapshot_basis(snapshot=snapshot), request
                ),
            }
        )
