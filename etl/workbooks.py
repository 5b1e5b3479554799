"""DataFrames -> the annual assessment workbook (年度考核工作簿). Chinese headers and sheet
names are applied here and nowhere else.

Written with xlsxwriter in ``constant_memory`` mode: rows stream to disk in order, so memory
does not grow with the number of rows. Sheets:

- 汇总: the plan's table form (类别 / 指标 / 单位 / 目标值 / 现状值 / 完成情况), town level, with
  numerator, denominator and record count, and generated-at / data cut-off stamps;
- one sheet per indicator by administrative and natural village;
- 设施台账, 黑臭水体台账, 农膜台账, 秸秆台账, 数据质量.
"""

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import xlsxwriter

from etl.indicators import INDICATORS, IndicatorOutput

SUMMARY_SHEET = "汇总"
SUMMARY_HEADERS = [
    "类别",
    "指标",
    "单位",
    "目标值",
    "现状值",
    "完成情况",
    "分子",
    "分母",
    "记录数",
    "指标代码",
]
SUMMARY_HEADER_ROW = 3  # rows 0–2 hold the title and the stamps

INDICATOR_SHEETS = {
    "SEWAGE_COVERAGE": "污水治理覆盖率",
    "FACILITY_OPERATION": "设施正常运行率",
    "BLACK_WATER_ELIMINATION": "黑臭水体消除",
    "FILM_RECOVERY": "农膜回收率",
    "STRAW_UTILIZATION": "秸秆综合利用率",
}
INDICATOR_HEADERS = [
    "层级",
    "区域代码",
    "区域名称",
    "现状值",
    "分子",
    "分母",
    "目标值",
    "完成情况",
    "记录数",
    "明细",
]
LEVEL_LABELS = {"town": "镇", "admin_village": "行政村", "natural_village": "自然村"}
MET_LABELS = {True: "已完成", False: "未完成", None: "无数据"}

STATUS_LABELS = {
    "normal": "正常运行",
    "defective": "带病运行",
    "stopped": "停运",
    "uninspected": "未巡查",
}
STAGE_LABELS = {
    "screened": "排查确认",
    "works": "整治中",
    "completed": "整治完成",
    "monitoring": "整治后监测",
    "closed": "销号",
    "rebound": "返黑",
}
CLOSED_OFF_LABELS = {"closed": "已销号", "rebound": "返黑", "open": "未销号"}
SITE_TYPE_LABELS = {"village": "村", "point": "回收网点"}
SEASON_LABELS = {"summer": "夏季", "autumn": "秋季"}

# (column, header, kind) per ledger; kind picks the number format and width.
LEDGERS: dict[str, list[tuple[str, str, str]]] = {
    "设施台账": [
        ("facility_code", "设施编码", "code"),
        ("facility_name", "设施名称", "text"),
        ("admin_village_name", "行政村", "text"),
        ("natural_village_name", "自然村", "text"),
        ("in_service", "在用", "text"),
        ("inspected_on", "最近巡查日期", "date"),
        ("status", "运行状态", "text"),
        ("faults", "故障(类型/严重程度)", "wide"),
        ("inspector", "巡查人", "text"),
        ("instance_id", "记录ID", "wide"),
    ],
    "黑臭水体台账": [
        ("water_body_code", "水体编码", "code"),
        ("water_body_name", "水体名称", "text"),
        ("admin_village_name", "行政村", "text"),
        ("natural_village_name", "自然村", "text"),
        ("stage", "当前阶段", "text"),
        ("stage_date", "阶段日期", "date"),
        ("screened_on", "排查确认日期", "date"),
        ("works_on", "开工日期", "date"),
        ("completed_on", "完工日期", "date"),
        ("monitoring_on", "监测日期", "date"),
        ("closed_on", "销号日期", "date"),
        ("rebound_on", "返黑日期", "date"),
        ("closed_off", "销号情况", "text"),
        ("source_id", "依据记录ID", "wide"),
    ],
    "农膜台账": [
        ("admin_village_name", "行政村", "text"),
        ("natural_village_name", "自然村", "text"),
        ("site_type", "统计对象", "text"),
        ("collection_point_name", "回收网点", "text"),
        ("period_start", "统计期开始", "date"),
        ("period_end", "统计期结束", "date"),
        ("film_used_kg", "使用量(kg)", "kg"),
        ("film_recovered_kg", "回收量(kg)", "kg"),
        ("recovery_rate", "回收率(%)", "percent"),
        ("thin_film_findings", "超薄膜发现数", "int"),
        ("instance_id", "记录ID", "wide"),
    ],
    "秸秆台账": [
        ("admin_village_name", "行政村", "text"),
        ("natural_village_name", "自然村", "text"),
        ("survey_year", "年份", "int"),
        ("season", "季节", "text"),
        ("crop", "作物", "text"),
        ("straw_produced_t", "产生量(t)", "t"),
        ("collectable_t", "可收集量(t)", "t"),
        ("utilised_t", "利用量(t)", "t"),
        ("utilisation_rate", "综合利用率(%)", "percent"),
        ("burned_t", "露天焚烧(t)", "t"),
        ("dumped_t", "丢弃/抛河(t)", "t"),
        ("open_burning_seen", "发现焚烧", "text"),
        ("instance_id", "记录ID", "wide"),
    ],
    "数据质量": [
        ("form_id", "表单", "text"),
        ("instance_id", "记录ID", "wide"),
        ("form_version", "表单版本", "text"),
        ("field", "字段", "wide"),
        ("value", "值", "text"),
        ("reason", "问题", "text"),
        ("action", "处理", "text"),
    ],
}
ACTION_LABELS = {"excluded": "不计入指标", "blanked": "该项按缺失处理", "recomputed": "已重新计算"}
WIDTHS = {
    "code": 14,
    "text": 16,
    "wide": 44,
    "date": 12,
    "kg": 12,
    "t": 12,
    "percent": 12,
    "int": 10,
}


@dataclass(frozen=True)
class Ledgers:
    facilities: pd.DataFrame
    water_bodies: pd.DataFrame
    film: pd.DataFrame
    straw: pd.DataFrame
    data_quality: pd.DataFrame


def assessment_workbook_write(
    target: str | Path | BinaryIO,
    *,
    year: int,
    outputs: Mapping[str, IndicatorOutput],
    ledgers: Ledgers,
    area_names: Mapping[str, str],
    generated_at: dt.datetime,
    data_cutoff: dt.date,
    town_name: str = "邹区镇",
) -> None:
    """Write the annual workbook for ``year`` to a path or binary file object.

    ``outputs`` are the indicator outputs (their results must include the period ``year``);
    ``area_names`` maps area codes (town, village, natural village) to names.
    """
    period = str(year)
    options = {"constant_memory": True, "default_date_format": "yyyy-mm-dd"}
    if not isinstance(target, str | Path):
        options["in_memory"] = True  # a file object: xlsxwriter then builds it in memory
    workbook = xlsxwriter.Workbook(target, options)
    formats = _formats(workbook)
    _summary_sheet(workbook, formats, period, outputs, generated_at, data_cutoff, town_name)
    for code, sheet_name in INDICATOR_SHEETS.items():
        if code in outputs:
            _indicator_sheet(workbook, formats, sheet_name, outputs[code], period, area_names)
    named = {
        "设施台账": _labelled(ledgers.facilities, area_names, status=STATUS_LABELS),
        "黑臭水体台账": _labelled(
            ledgers.water_bodies, area_names, stage=STAGE_LABELS, closed_off=CLOSED_OFF_LABELS
        ),
        "农膜台账": _labelled(ledgers.film, area_names, site_type=SITE_TYPE_LABELS),
        "秸秆台账": _labelled(ledgers.straw, area_names, season=SEASON_LABELS),
        "数据质量": _labelled(ledgers.data_quality, area_names, action=ACTION_LABELS),
    }
    for sheet_name, frame in named.items():
        _ledger_sheet(workbook, formats, sheet_name, frame, LEDGERS[sheet_name], data_cutoff)
    workbook.close()


def _formats(workbook) -> dict:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "stamp": workbook.add_format({"font_color": "#555555"}),
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "percent": workbook.add_format({"num_format": "0.0"}),
        "kg": workbook.add_format({"num_format": "#,##0.0"}),
        "t": workbook.add_format({"num_format": "#,##0.000"}),
        "int": workbook.add_format({"num_format": "0"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "code": None,
        "text": None,
        "wide": None,
    }


def _target_text(target: float | None) -> str:
    if target is None or pd.isna(target):
        return ""
    return f"{target:g}" if target >= 100 else f"≥{target:g}"


def _summary_sheet(workbook, formats, period, outputs, generated_at, data_cutoff, town_name):
    sheet = workbook.add_worksheet(SUMMARY_SHEET)
    for col, width in enumerate([10, 30, 6, 8, 10, 10, 12, 12, 8, 26]):
        sheet.set_column(col, col, width)
    sheet.write(0, 0, f"{town_name}农村生态环境指标年度考核表（{period}年）", formats["title"])
    sheet.write(1, 0, f"生成时间：{generated_at:%Y-%m-%d %H:%M}", formats["stamp"])
    sheet.write(2, 0, f"数据截止：{data_cutoff:%Y-%m-%d}", formats["stamp"])
    sheet.write_row(SUMMARY_HEADER_ROW, 0, SUMMARY_HEADERS, formats["header"])
    sheet.freeze_panes(SUMMARY_HEADER_ROW + 1, 0)
    row = SUMMARY_HEADER_ROW + 1
    for code, output in outputs.items():
        indicator = INDICATORS[code]
        results = output.rows_for([period], levels=["town"])
        town = results.loc[(results["level"] == "town") & (results["period"] == period)]
        if town.empty:
            continue
        result = town.iloc[0]
        sheet.write(row, 0, indicator.category_zh)
        sheet.write(row, 1, indicator.name_zh)
        sheet.write(row, 2, indicator.unit)
        sheet.write(row, 3, _target_text(result["target"]))
        _write_number(sheet, row, 4, result["value"], formats["percent"])
        sheet.write(row, 5, MET_LABELS[result["met"]])
        _write_number(sheet, row, 6, result["numerator"], None)
        _write_number(sheet, row, 7, result["denominator"], None)
        sheet.write_number(row, 8, int(result["record_count"]))
        sheet.write(row, 9, f"{code} ({indicator.definition})")
        row += 1


def _indicator_sheet(workbook, formats, sheet_name, output, period, area_names):
    sheet = workbook.add_worksheet(sheet_name)
    for col, width in enumerate([8, 18, 18, 10, 12, 12, 8, 10, 8, 60]):
        sheet.set_column(col, col, width)
    sheet.write_row(0, 0, INDICATOR_HEADERS, formats["header"])
    sheet.freeze_panes(1, 0)
    rows = output.table_for([period]).sort_values(
        "level", key=lambda s: s.map({"town": 0, "admin_village": 1, "natural_village": 2})
    )
    write_string, write_number, write_blank = (
        sheet.write_string,
        sheet.write_number,
        sheet.write_blank,
    )
    for first, part in _parts(rows):
        part = output.with_details(part)
        # A part's columns into Python values, then one typed write per cell (``write``'s
        # type dispatch costs more than the cell at 150,000 villages). An empty text is no
        # cell, as ``write`` leaves it.
        codes = part["area_code"].tolist()
        texts = {
            0: [LEVEL_LABELS[level] for level in part["level"]],
            1: codes,
            2: [area_names.get(code, "") for code in codes],
            6: [_target_text(target) for target in part["target"]],
            7: [MET_LABELS[met] for met in part["met"]],
            9: [_details_text(details) for details in part["details"]],
        }
        numbers = {
            3: (_numbers(part["value"]), formats["percent"]),
            4: (_numbers(part["numerator"]), None),
            5: (_numbers(part["denominator"]), None),
            8: (part["record_count"].astype(float).tolist(), None),
        }
        for n in range(len(codes)):
            row = first + n + 1
            for col in range(10):
                if col in texts:
                    text = texts[col][n]
                    if text or col in (1, 9):  # code and details are always written
                        write_string(row, col, text)
                else:
                    values, fmt = numbers[col]
                    value = values[n]
                    if value is None:
                        write_blank(row, col, None, fmt)
                    else:
                        write_number(row, col, value, fmt)


# Rows converted to Python values at a time: the writer's memory stays that of one part,
# whatever the number of rows (xlsxwriter's constant_memory streams the rows written).
PART_ROWS = 10_000


def _parts(frame: pd.DataFrame) -> Iterator[tuple[int, pd.DataFrame]]:
    """(index of its first row, part) for consecutive parts of ``frame`` of PART_ROWS rows."""
    for first in range(0, len(frame), PART_ROWS):
        yield first, frame.iloc[first : first + PART_ROWS]


def _numbers(column: pd.Series) -> list[float | None]:
    """A numeric column as floats, None where missing."""
    values = column.to_numpy(dtype=float)
    return [None if v != v else v for v in values.tolist()]


def _details_text(details: dict) -> str:
    parts = []
    for key, value in details.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v:g}" for k, v in value.items())
        elif isinstance(value, float):
            value = f"{value:g}"
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


def _labelled(frame: pd.DataFrame, area_names: Mapping[str, str], **labels) -> pd.DataFrame:
    frame = frame.copy()
    for column in ("admin_village_code", "natural_village_code"):
        if column in frame:
            name = column.replace("_code", "_name")
            frame[name] = frame[column].map(
                lambda c: area_names.get(c, c) if isinstance(c, str) else ""
            )
    for column, mapping in labels.items():
        frame[column] = frame[column].map(lambda v, m=mapping: m.get(v, v))
    if "in_service" in frame:
        frame["in_service"] = frame["in_service"].map({True: "是", False: "否"})
    return frame


def _ledger_sheet(workbook, formats, sheet_name, frame, columns, data_cutoff):
    sheet = workbook.add_worksheet(sheet_name)
    for col, (_, _, kind) in enumerate(columns):
        sheet.set_column(col, col, WIDTHS[kind])
    sheet.write_row(0, 0, [header for _, header, _ in columns], formats["header"])
    sheet.freeze_panes(1, 0)
    writers = [
        (sheet.write_datetime, formats["date"])
        if kind == "date"
        else (sheet.write_number, formats[kind])
        if kind in ("kg", "t", "percent", "int")
        else (sheet.write_string, None)
        for _, _, kind in columns
    ]
    for first, part in _parts(frame):
        # Each column of the part converted once (dates to datetimes, numbers to floats, the
        # rest to text, None where missing), then one typed write per cell.
        cells = [_cells(part[name], kind) if name in part else None for name, _, kind in columns]
        for n in range(len(part)):
            row = first + n + 1
            for col, values in enumerate(cells):
                if values is None or values[n] is None:
                    continue
                write, fmt = writers[col]
                if fmt is None:
                    write(row, col, values[n])
                else:
                    write(row, col, values[n], fmt)
    sheet.write(len(frame) + 2, 0, f"数据截止：{data_cutoff:%Y-%m-%d}", formats["stamp"])


def _missing(value) -> bool:
    return (
        value is None
        or value is pd.NaT
        or value is pd.NA
        or (isinstance(value, float) and np.isnan(value))
    )


def _cells(column: pd.Series, kind: str) -> list:
    """The cell value of each value of ``column`` in a ledger column of ``kind``: a datetime,
    a float or a text; None for a missing value (no cell)."""
    values = column.to_numpy(dtype=object)
    if kind == "date":
        return [None if _missing(v) else pd.Timestamp(v).to_pydatetime() for v in values]
    if kind in ("kg", "t", "percent", "int"):
        return [None if _missing(v) else float(v) for v in values]
    return [None if _missing(v) else str(v) for v in values]


def _write_number(sheet, row: int, col: int, value, fmt) -> None:
    if value is None or pd.isna(value):
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_number(row, col, float(value), fmt)
