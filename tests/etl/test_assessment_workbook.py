"""The annual workbook: written from a computed run, reopened with openpyxl."""

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from etl_builders import ADMIN_A, NV_A1, NV_A2, facility, frame, raw, village, water_body

from etl import schemas, workbooks
from etl.extract import Registry
from etl.pipeline import compute, workbook_write
from etl.targets import SEED_TARGETS

CHECKS = {f"checklist/{name}": "ok" for name in schemas.CHECKLIST_CORE + schemas.CHECKLIST_AUX}


@pytest.fixture
def result(dictionary):
    registry = Registry(
        admin_villages=pd.DataFrame({"code": ["320404116", ADMIN_A], "name": ["邹区镇", "杨庄村"]}),
        natural_villages=frame(
            schemas.NATURAL_VILLAGES,
            [
                village(NV_A1, mode="sewer"),
                village(NV_A2),
                village(ADMIN_A + "003", relocation=True),
            ],
        ),
        facilities=frame(
            schemas.FACILITIES, [facility("ZQ-WS-001", NV_A1), facility("ZQ-WS-002", NV_A1)]
        ),
        water_bodies=frame(
            schemas.WATER_BODIES, [water_body("ZQ-HC-001", NV_A1, "closed", "2025-03-01")]
        ),
    )
    inspection = {
        "today": "2025-07-03",
        "admin_village": ADMIN_A,
        "natural_village": NV_A1,
        "facility": "ZQ-WS-001",
        **CHECKS,
        "checklist/effluent_appearance": "clear",
        "has_faults": "yes",
        "fault": [{"fault/fault_type": "sign", "fault/fault_severity": "minor"}],
    }
    bad = {**inspection, "facility": "ZQ-WS-002", "checklist/pumps_ok": "broken"}
    rows = [
        raw("i1", "sewage_facility_inspection", inspection),
        raw("i2", "sewage_facility_inspection", bad),
    ]
    return compute(
        raw=pd.DataFrame(rows),
        dictionary=dictionary,
        registry=registry,
        periods=["2025", "2025-Q3"],
        targets=SEED_TARGETS,
        as_of=dt.date(2025, 12, 31),
    )


@pytest.fixture
def book(result, tmp_path):
    path = tmp_path / "annual.xlsx"
    workbook_write(result, year=2025, out=path, generated_at=dt.datetime(2026, 1, 5, 9, 30))
    return openpyxl.load_workbook(path, read_only=True)


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_it_has_the_summary_the_indicator_sheets_and_the_ledgers(book):
    assert book.sheetnames == [
        "汇总",
        *workbooks.INDICATOR_SHEETS.values(),
        "设施台账",
        "黑臭水体台账",
        "农膜台账",
        "秸秆台账",
        "数据质量",
    ]


def test_the_summary_is_in_the_plans_table_form_with_stamps(book):
    summary = rows(book["汇总"])
    assert summary[1][0] == "生成时间：2026-01-05 09:30"
    assert summary[2][0] == "数据截止：2025-12-31"
    assert summary[3][:6] == ["类别", "指标", "单位", "目标值", "现状值", "完成情况"]


def test_the_summary_values_equal_the_indicator_results(book, result):
    town = result.results.query("level == 'town' and period == '2025'").set_index("name_zh")
    for line in rows(book["汇总"])[4:]:
        expected = town.loc[line[1]]
        if pd.isna(expected["value"]):
            assert line[4] is None and line[5] == "无数据"
        else:
            assert line[4] == pytest.approx(expected["value"])
            assert line[5] == {True: "已完成", False: "未完成"}[expected["met"]]
        assert (line[6], line[7]) == (expected["numerator"], expected["denominator"])
    values = {line[1]: line[4] for line in rows(book["汇总"])[4:]}
    assert values["农村生活污水治理自然村覆盖率"] == 50.0
    # ZQ-WS-001 normal (a minor fault does not change the rubric); ZQ-WS-002's only
    # inspection was excluded, so it is 未巡查.
    assert values["设施正常运行率"] == 50.0
    assert values["黑臭水体消除比例"] == 100.0


def test_an_indicator_sheet_lists_values_by_village_with_names(book):
    sheet = rows(book["污水治理覆盖率"])
    assert sheet[0] == workbooks.INDICATOR_HEADERS
    by_area = {line[1]: line for line in sheet[1:]}
    assert by_area[ADMIN_A][2] == "杨庄村"
    assert by_area[NV_A2][3] == 0.0


def test_the_facility_ledger_shows_the_latest_inspection_and_its_faults(book):
    ledger = rows(book["设施台账"])
    assert ledger[0][:3] == ["设施编码", "设施名称", "行政村"]
    first = ledger[1]
    assert first[0] == "ZQ-WS-001" and first[6] == "正常运行" and first[7] == "sign/minor"
    assert ledger[2][6] == "未巡查"


def test_the_data_quality_sheet_explains_the_excluded_submission(book):
    quality = rows(book["数据质量"])
    assert quality[1][1] == "i2" and quality[1][5] == "invalid_choice"
    assert quality[1][6] == "不计入指标"


def test_header_rows_are_frozen(result, tmp_path):
    path = tmp_path / "annual.xlsx"
    workbook_write(result, year=2025, out=path, generated_at=dt.datetime(2026, 1, 5))
    book = openpyxl.load_workbook(path)
    assert book["汇总"].freeze_panes == "A5"
    assert book["设施台账"].freeze_panes == "A2"


def test_it_writes_to_a_file_object_for_the_download_endpoint(result):
    import io

    buffer = io.BytesIO()
    workbook_write(result, year=2025, out=buffer, generated_at=dt.datetime(2026, 1, 5))
    buffer.seek(0)
    assert openpyxl.load_workbook(buffer, read_only=True).sheetnames[0] == "汇总"


def test_rows_written_part_by_part_make_the_same_workbook(result, tmp_path, monkeypatch):
    def cells(path):
        book = openpyxl.load_workbook(path, read_only=True)
        return {name: rows(book[name]) for name in book.sheetnames}

    whole, parts = tmp_path / "whole.xlsx", tmp_path / "parts.xlsx"
    stamp = dt.datetime(2026, 1, 5)
    workbook_write(result, year=2025, out=whole, generated_at=stamp)
    monkeypatch.setattr(workbooks, "PART_ROWS", 2)  # every sheet in several parts
    workbook_write(result, year=2025, out=parts, generated_at=stamp)
    written = cells(parts)
    assert written == cells(whole)
    assert max(len(sheet) for sheet in written.values()) > 2 * 2 + 1
