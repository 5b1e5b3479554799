"""Raw data per form with labels, repeats on their own table, and GeoJSON."""

import io

import openpyxl
import pandas as pd
import pytest
from etl_builders import raw

from etl import raw_exports

INSPECTION = {
    "today": "2025-07-03",
    "facility": "ZQ-WS-001",
    "location": "31.75 119.85 10 5",
    "checklist/power_ok": "fail",
    "fault": [
        {"fault/fault_type": "power", "fault/fault_severity": "severe"},
        {"fault/fault_type": "sign", "fault/fault_severity": "minor"},
    ],
}


@pytest.fixture
def rows():
    return pd.DataFrame(
        [
            raw("a", "sewage_facility_inspection", INSPECTION),
            raw("old", "sewage_facility_inspection", INSPECTION, is_current=False),
        ]
    )


def test_it_resolves_choice_labels_in_the_chosen_language(rows, dictionary):
    zh = raw_exports.form_tables(rows, dictionary, "sewage_facility_inspection", lang="zh")
    en = raw_exports.form_tables(rows, dictionary, "sewage_facility_inspection", lang="en")
    main_zh, main_en = zh["sewage_facility_inspection"], en["sewage_facility_inspection"]
    assert main_zh["记录ID"].tolist() == ["a"]  # the superseded version is not exported
    assert main_zh["1. 供电正常：控制柜工作、无报警 [power_ok]"].tolist() == ["异常"]
    assert main_en["1. Power on: control cabinet working, no alarm [power_ok]"].tolist() == [
        "Fault"
    ]


def test_repeats_are_their_own_table_joined_by_the_instance_id(rows, dictionary):
    tables = raw_exports.form_tables(rows, dictionary, "sewage_facility_inspection", lang="en")
    faults = tables["fault"]
    assert faults[["Instance ID", "Entry", "Fault type [fault_type]"]].values.tolist() == [
        ["a", 1, "Power cut"],
        ["a", 2, "Signboard missing"],
    ]


def test_the_xlsx_has_one_sheet_per_table(rows, dictionary):
    buffer = io.BytesIO()
    tables = raw_exports.form_tables(rows, dictionary, "sewage_facility_inspection")
    raw_exports.xlsx_write(tables, buffer)
    buffer.seek(0)
    book = openpyxl.load_workbook(buffer, read_only=True)
    assert book.sheetnames == ["sewage_facility_inspection", "fault"]


def test_geojson_has_a_point_per_located_record(rows, dictionary):
    collection = raw_exports.geojson(rows, dictionary)
    assert [f["geometry"]["coordinates"] for f in collection["features"]] == [[119.85, 31.75]]
    assert collection["features"][0]["properties"]["instance_id"] == "a"
