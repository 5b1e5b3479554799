"""The ledgers behind the workbook's 台账 sheets."""

import datetime as dt

import pandas as pd
from etl_builders import (
    NV_A1,
    film_entry,
    film_record,
    frame,
    observation,
    straw_record,
    water_body,
)

from etl import schemas
from etl.ledgers import film_ledger, straw_ledger, water_body_ledger


def test_the_water_body_ledger_dates_each_stage_and_shows_the_closing_status():
    bodies = frame(
        schemas.WATER_BODIES,
        [
            water_body("ZQ-HC-001", NV_A1, "works", "2024-05-01"),
            water_body("ZQ-HC-002", NV_A1, "closed", "2024-05-01"),
        ],
    )
    observations = frame(
        schemas.WATER_OBSERVATIONS,
        [
            observation("o1", "ZQ-HC-001", "2025-02-01", "progress", "completed"),
            observation("o2", "ZQ-HC-001", "2025-06-01", "progress", "closed"),
            observation(
                "o3", "ZQ-HC-002", "2025-07-01", "post_monitoring", "maintenance", black=True
            ),
        ],
    )
    ledger = water_body_ledger(bodies, observations, as_of=dt.date(2025, 12, 31)).set_index(
        "water_body_code"
    )
    assert ledger.loc["ZQ-HC-001", "completed_on"] == pd.Timestamp("2025-02-01")
    assert ledger.loc["ZQ-HC-001", "closed_on"] == pd.Timestamp("2025-06-01")
    assert ledger["closed_off"].to_dict() == {"ZQ-HC-001": "closed", "ZQ-HC-002": "rebound"}


def test_the_film_ledger_totals_each_report_of_the_year():
    records = frame(
        schemas.FILM_RECORDS,
        [film_record("f1", NV_A1, "2025-06-30"), film_record("f0", NV_A1, "2024-06-30")],
    )
    entries = frame(
        schemas.FILM_ENTRIES,
        [film_entry("f1", 1, 100.0, 80.0, thickness=0.008), film_entry("f1", 2, 100.0, 100.0)],
    )
    ledger = film_ledger(records, entries, year=2025)
    assert ledger[
        ["instance_id", "film_used_kg", "recovery_rate", "thin_film_findings"]
    ].values.tolist() == [["f1", 200.0, 90.0, 1]]


def test_the_straw_ledger_has_one_row_per_crop_record_of_the_year():
    records = frame(
        schemas.STRAW_RECORDS,
        [
            straw_record(
                "s1", NV_A1, 2025, "summer", collectable=100.0, uses={"direct_return_t": 99.0}
            ),
            straw_record("s0", NV_A1, 2024, "summer", collectable=100.0, uses={}),
        ],
    )
    ledger = straw_ledger(records, year=2025)
    assert ledger[["instance_id", "utilisation_rate"]].values.tolist() == [["s1", 99.0]]
