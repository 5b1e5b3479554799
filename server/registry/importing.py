"""Import of the town's registers (natural villages, facilities, water bodies).

The town keeps them in spreadsheets. One workbook may hold three sheets
(自然村 / 处理设施 / 黑臭水体), or one CSV holds one of them. Every row is
validated; errors are reported by sheet, row and column in Chinese, and nothing
is written unless every row is valid. Rows are matched by code, so importing
the same register again updates instead of duplicating.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from openpyxl import Workbook, load_workbook

from registry.choices import (
    FacilityScale,
    OmMode,
    ProcessType,
    SewageMode,
    WaterBodyKind,
    WaterBodyStage,
)
from registry.models import (
    AdministrativeVillage,
    Contractor,
    FacilityVillage,
    NaturalVillage,
    SewageFacility,
    WaterBody,
)

MAX_ROWS = 50_000


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet} 第{self.row}行" if self.row else self.sheet
        return (
            f"{where} {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors[:20]))


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [
            f"{sheet}: 新增 {self.created.get(sheet, 0)} 条, 更新 {self.updated.get(sheet, 0)} 条"
            for sheet in dict.fromkeys([*self.created, *self.updated])
        ]
        return "导入成功。" + "；".join(parts)


class CellError(ValueError):
    pass


# ---- cell parsers: raw cell value -> Python value, or CellError with a Chinese message


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header(value: Any) -> str:
    # The template marks required columns with a trailing "*".
    return _text(value).rstrip("*").strip()


def parse_text(value: Any) -> str:
    return _text(value)


def parse_int(value: Any) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise CellError(f"“{text}”不是整数") from exc
    if number != number.to_integral_value() or number < 0:
        raise CellError(f"“{text}”应为非负整数")
    return int(number)


def parse_decimal(value: Any) -> Decimal | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise CellError(f"“{text}”不是数字") from exc
    if not number.is_finite():
        raise CellError(f"“{text}”不是数字")
    return number


def parse_float(value: Any) -> float | None:
    number = parse_decimal(value)
    return None if number is None else float(number)


_YES = {"是", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "n", "no", "false", "0", "×", ""}


def parse_bool(value: Any) -> bool:
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"“{text}”应填“是”或“否”")


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"“{text}”不是日期（格式如 2020-06-30）")


def choice_parser(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    """Accept the code or the Chinese label of a choice."""
    by_text = {c.value: c.value for c in choices} | {c.label: c.value for c in choices}

    def parse(value: Any) -> str:
        text = _text(value)
        if not text:
            return ""
        if text not in by_text:
            allowed = "、".join(c.label for c in choices)
            raise CellError(f"“{text}”不是有效选项（可选：{allowed}）")
        return by_text[text]

    return parse


def parse_code_list(value: Any) -> list[str]:
    return [code for code in re.split(r"[\s,，;；、]+", _text(value)) if code]


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[Any], Any]
    required: bool = False
    example: Any = ""


@dataclass(frozen=True)
class SheetSpec:
    name: str
    model: type[models.Model]
    columns: list[Column]

    @property
    def key(self) -> Column:
        return self.columns[0]


NATURAL_VILLAGES = SheetSpec(
    "自然村",
    NaturalVillage,
    [
        Column("自然村编码", "code", parse_text, True, "320404116201001"),
        Column("自然村名称", "name", parse_text, True, "杨庄村·演示1组"),
        Column("行政村代码", "admin_village", parse_text, True, "320404116201"),
        Column("总户数", "households", parse_int, True, 45),
        Column("已接入户数", "households_connected", parse_int, False, 40),
        Column("常住人口", "population", parse_int, False, 150),
        Column("规划发展村庄", "is_planned_development", parse_bool, False, "是"),
        Column("规划搬迁撤并", "is_planned_relocation", parse_bool, False, "否"),
        Column("污水治理模式", "sewage_mode", choice_parser(SewageMode), True, "集中式处理设施"),
        Column("纬度", "latitude", parse_float, False, 31.781),
        Column("经度", "longitude", parse_float, False, 119.842),
    ],
)

FACILITIES = SheetSpec(
    "处理设施",
    SewageFacility,
    [
        Column("设施编码", "code", parse_text, True, "ZQ-WS-001"),
        Column("设施名称", "name", parse_text, True, "杨庄村演示1组污水处理站"),
        Column("服务自然村编码", "natural_villages", parse_code_list, True, "320404116201001"),
        Column("处理工艺", "process_type", choice_parser(ProcessType), True, "A/O"),
        Column("规模", "scale", choice_parser(FacilityScale), False, "村级集中"),
        Column("设计规模(吨/日)", "design_capacity", parse_decimal, True, 30),
        Column("投运日期", "commissioned_on", parse_date, False, "2019-06-30"),
        Column("运维单位编码", "contractor_code", parse_text, False, "OM-01"),
        Column("运维单位名称", "contractor_name", parse_text, False, "常州某环境运维公司（演示）"),
        Column("运维模式", "om_mode", choice_parser(OmMode), False, "第三方专业运维"),
        Column("在用", "in_service", parse_bool, False, "是"),
        Column("纬度", "latitude", parse_float, False, 31.782),
        Column("经度", "longitude", parse_float, False, 119.843),
    ],
)

WATER_BODIES = SheetSpec(
    "黑臭水体",
    WaterBody,
    [
        Column("水体编码", "code", parse_text, True, "ZQ-HC-001"),
        Column("水体名称", "name", parse_text, True, "杨庄村演示东塘"),
        Column("类型", "kind", choice_parser(WaterBodyKind), True, "坑塘"),
        Column("行政村代码", "admin_village", parse_text, True, "320404116201"),
        Column("自然村编码", "natural_village", parse_text, False, "320404116201001"),
        Column("长度(米)", "length_m", parse_decimal, False, ""),
        Column("面积(平方米)", "area_m2", parse_decimal, False, 1200),
        Column("整治阶段", "stage", choice_parser(WaterBodyStage), True, "排查确认"),
        Column("纬度", "latitude", parse_float, False, 31.780),
        Column("经度", "longitude", parse_float, False, 119.845),
    ],
)

# Order matters: facilities and water bodies refer to natural villages.
SHEETS = [NATURAL_VILLAGES, FACILITIES, WATER_BODIES]


# ---- reading files into (sheet spec, rows)


def _read_xlsx(data: bytes) -> list[tuple[str, list[list[Any]]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFailed([RowError("文件", 0, "", f"无法读取 Excel 文件：{exc}")]) from exc
    try:
        return [
            (ws.title, [list(row) for row in ws.iter_rows(values_only=True)])
            for ws in workbook.worksheets
        ]
    finally:
        workbook.close()


def _read_csv(data: bytes) -> list[list[Any]]:
    # Excel and WPS in China save CSV as GBK unless told otherwise.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailed([RowError("文件", 0, "", "CSV 文件编码无法识别（请用 UTF-8 或 GBK）")])
    return [list(row) for row in csv.reader(io.StringIO(text))]


def _spec_for_headers(headers: Iterable[Any]) -> SheetSpec | None:
    present = {_header(h) for h in headers}
    for spec in SHEETS:
        if spec.key.header in present:
            return spec
    return None


def _tables(data: bytes, filename: str) -> list[tuple[SheetSpec, list[list[Any]]]]:
    if filename.lower().endswith(".csv"):
        rows = _read_csv(data)
        spec = _spec_for_headers(rows[0]) if rows else None
        if spec is None:
            raise ImportFailed(
                [RowError("CSV", 1, "", "表头中找不到“自然村编码”“设施编码”或“水体编码”列")]
            )
        return [(spec, rows)]
    if not filename.lower().endswith(".xlsx"):
        raise ImportFailed([RowError("文件", 0, "", "只支持 .xlsx 或 .csv 文件")])
    by_name = {spec.name: spec for spec in SHEETS}
    tables = []
    for title, rows in _read_xlsx(data):
        spec = by_name.get(title.strip()) or (_spec_for_headers(rows[0]) if rows else None)
        if spec is not None:
            tables.append((spec, rows))
    if not tables:
        raise ImportFailed(
            [RowError("文件", 0, "", "工作簿中没有“自然村”“处理设施”或“黑臭水体”工作表")]
        )
    return sorted(tables, key=lambda table: SHEETS.index(table[0]))


# ---- validating and writing


def _parse_row(
    spec: SheetSpec, index: dict[str, int], raw: list[Any], row_no: int
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in spec.columns:
        position = index.get(column.header)
        cell = raw[position] if position is not None and position < len(raw) else None
        try:
            value = column.parse(cell)
        except CellError as exc:
            errors.append(RowError(spec.name, row_no, column.header, str(exc)))
            continue
        if column.required and value in ("", None, []):
            errors.append(RowError(spec.name, row_no, column.header, "不能为空"))
        values[column.field] = value
    return values, errors


def _apply_natural_village(values: dict[str, Any]) -> tuple[models.Model | None, dict[str, str]]:
    admin = AdministrativeVillage.objects.filter(code=values["admin_village"]).first()
    if admin is None:
        return None, {"admin_village": f"行政村代码“{values['admin_village']}”不存在"}
    obj = NaturalVillage.objects.filter(code=values["code"]).first() or NaturalVillage(
        code=values["code"]
    )
    obj.admin_village = admin
    obj.name = values["name"]
    obj.households = values["households"] or 0
    obj.households_connected = values["households_connected"] or 0
    obj.population = values["population"] or 0
    obj.is_planned_development = values["is_planned_development"]
    obj.is_planned_relocation = values["is_planned_relocation"]
    obj.sewage_mode = values["sewage_mode"]
    obj.latitude = values["latitude"]
    obj.longitude = values["longitude"]
    return obj, {}


def _apply_facility(values: dict[str, Any]) -> tuple[models.Model | None, dict[str, str]]:
    codes = values["natural_villages"]
    villages = list(NaturalVillage.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {v.code for v in villages})
    if missing:
        return None, {"natural_villages": f"自然村编码不存在：{'、'.join(missing)}"}
    obj = SewageFacility.objects.filter(code=values["code"]).first() or SewageFacility(
        code=values["code"]
    )
    obj.name = values["name"]
    obj.process_type = values["process_type"]
    obj.scale = values["scale"] or FacilityScale.VILLAGE
    obj.design_capacity = values["design_capacity"]
    obj.commissioned_on = values["commissioned_on"]
    obj.om_mode = values["om_mode"] or OmMode.THIRD_PARTY
    obj.in_service = values["in_service"] if _text(values["in_service"]) != "" else True
    obj.latitude = values["latitude"]
    obj.longitude = values["longitude"]
    obj._import_villages = villages  # written after save, see _save
    if values["contractor_code"]:
        contractor, _ = Contractor.objects.get_or_create(
            code=values["contractor_code"],
            defaults={"name": values["contractor_name"] or values["contractor_code"]},
        )
        if values["contractor_name"] and contractor.name != values["contractor_name"]:
            contractor.name = values["contractor_name"]
            contractor.save(update_fields=["name"])
        obj.contractor = contractor
    else:
        obj.contractor = None
    return obj, {}


def _apply_water_body(values: dict[str, Any]) -> tuple[models.Model | None, dict[str, str]]:
    admin = AdministrativeVillage.objects.filter(code=values["admin_village"]).first()
    if admin is None:
        return None, {"admin_village": f"行政村代码“{values['admin_village']}”不存在"}
    natural = None
    if values["natural_village"]:
        natural = NaturalVillage.objects.filter(code=values["natural_village"]).first()
        if natural is None or natural.admin_village_id != admin.pk:
            return None, {
                "natural_village": f"自然村编码“{values['natural_village']}”不存在或不属于该行政村"
            }
    obj = WaterBody.objects.filter(code=values["code"]).first() or WaterBody(code=values["code"])
    obj.name = values["name"]
    obj.kind = values["kind"]
    obj.admin_village = admin
    obj.natural_village = natural
    obj.length_m = values["length_m"]
    obj.area_m2 = values["area_m2"]
    obj.stage = values["stage"]
    obj.latitude = values["latitude"]
    obj.longitude = values["longitude"]
    return obj, {}


_APPLY = {
    NATURAL_VILLAGES.name: _apply_natural_village,
    FACILITIES.name: _apply_facility,
    WATER_BODIES.name: _apply_water_body,
}


def _header_for(spec: SheetSpec, field_name: str) -> str:
    for column in spec.columns:
        if column.field == field_name:
            return column.header
    verbose = spec.model._meta.get_field(field_name).verbose_name if field_name else ""
    return str(verbose)


def _import_table(
    spec: SheetSpec, rows: list[list[Any]], result: ImportResult, seen: set[tuple[str, str]]
) -> list[RowError]:
    if not rows:
        return []
    headers = [_header(h) for h in rows[0]]
    missing = [c.header for c in spec.columns if c.required and c.header not in headers]
    if missing:
        return [RowError(spec.name, 1, h, "缺少必填列") for h in missing]
    if len(rows) - 1 > MAX_ROWS:
        return [RowError(spec.name, 0, "", f"超过 {MAX_ROWS} 行，请分批导入")]
    index = {h: i for i, h in enumerate(headers) if h}
    errors: list[RowError] = []
    for row_no, raw in enumerate(rows[1:], start=2):
        if all(_text(cell) == "" for cell in raw):
            continue
        values, row_errors = _parse_row(spec, index, raw, row_no)
        if row_errors:
            errors.extend(row_errors)
            continue
        code = values["code"]
        if (spec.name, code) in seen:
            errors.append(RowError(spec.name, row_no, spec.key.header, f"编码“{code}”重复"))
            continue
        seen.add((spec.name, code))
        obj, refs = _APPLY[spec.name](values)
        if refs:
            errors.extend(
                RowError(spec.name, row_no, _header_for(spec, f), m) for f, m in refs.items()
            )
            continue
        try:
            obj.full_clean()
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                column = "" if field_name == "__all__" else _header_for(spec, field_name)
                errors.extend(RowError(spec.name, row_no, column, m) for m in messages)
            continue
        created = obj.pk is None
        with transaction.atomic():
            obj.save()
            villages = getattr(obj, "_import_villages", None)
            if villages is not None:
                FacilityVillage.objects.filter(facility=obj).exclude(
                    natural_village__in=villages
                ).delete()
                for village in villages:
                    FacilityVillage.objects.get_or_create(facility=obj, natural_village=village)
        bucket = result.created if created else result.updated
        bucket[spec.name] = bucket.get(spec.name, 0) + 1
    return errors


def registry_import(*, file: IO[bytes], filename: str) -> ImportResult:
    """Import a register workbook or CSV; all rows or none.

    Raises ImportFailed with every error found (by sheet, row and column).
    """
    data = file.read()
    tables = _tables(data, filename)
    result = ImportResult()
    errors: list[RowError] = []
    seen: set[tuple[str, str]] = set()
    with transaction.atomic():
        for spec, rows in tables:
            errors.extend(_import_table(spec, rows, result, seen))
        if errors:
            raise ImportFailed(errors)  # rolls the whole import back
    return result


def template_workbook() -> bytes:
    """The import template: one sheet per register with headers and an example row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in SHEETS:
        sheet = workbook.create_sheet(spec.name)
        sheet.append([c.header + ("*" if c.required else "") for c in spec.columns])
        sheet.append([c.example for c in spec.columns])
        sheet.freeze_panes = "A2"
        for i, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(
                12, len(column.header) * 2 + 4
            )
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "可选值"])
    for label, choices in [
        ("污水治理模式", SewageMode),
        ("处理工艺", ProcessType),
        ("规模", FacilityScale),
        ("运维模式", OmMode),
        ("水体类型", WaterBodyKind),
        ("整治阶段", WaterBodyStage),
    ]:
        notes.append([label, "、".join(c.label for c in choices)])
    notes.append(["是/否列", "填“是”或“否”"])
    notes.append(["带 * 的列", "必填；示例行可删除或覆盖"])
    notes.append(["服务自然村编码", "多个编码用逗号或空格分隔"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
