"""T6 STRAW_UTILIZATION: straw used ÷ collectable straw (t), with the split by use."""

import datetime as dt

import pytest
from etl_builders import NV_A1, NV_B1, frame, straw_record

from etl import schemas
from etl.indicators import straw_utilization

AS_OF = dt.date(2025, 12, 31)


def run(records, sites=(), periods=("2025",)):
    return straw_utilization(
        frame(schemas.STRAW_RECORDS, records),
        frame(schemas.BURNING_SITES, list(sites)),
        periods=list(periods),
        targets={"STRAW_UTILIZATION": 98.0},
        as_of=AS_OF,
    )


def town(output, period="2025"):
    results = output.results
    return results.loc[(results["level"] == "town") & (results["period"] == period)].iloc[0]


def test_used_over_collectable_with_the_split_by_use():
    output = run(
        [
            straw_record(
                "s1",
                NV_A1,
                2025,
                "summer",
                collectable=100.0,
                uses={"direct_return_t": 90.0, "feed_market_t": 8.0},
            ),
            straw_record(
                "s2", NV_B1, 2025, "autumn", collectable=100.0, uses={"fuel_household_t": 99.0}
            ),
        ]
    )
    row = town(output)
    assert (row["numerator"], row["denominator"]) == (197.0, 200.0)
    assert row["value"] == pytest.approx(98.5) and row["met"] is True
    assert row["details"]["by_use_t"]["fertilizer"] == 90.0
    assert row["details"]["by_use_t"]["fuel"] == 99.0


def test_imported_straw_is_subtracted():
    output = run(
        [
            straw_record(
                "s1",
                NV_A1,
                2025,
                "summer",
                collectable=100.0,
                uses={"direct_return_t": 90.0, "imported_t": 10.0},
            )
        ]
    )
    assert town(output)["numerator"] == 80.0


def test_open_burning_is_reported_beside_the_rate():
    output = run(
        [
            straw_record(
                "s1",
                NV_A1,
                2025,
                "summer",
                collectable=100.0,
                uses={"direct_return_t": 95.0},
                burned_t=5.0,
                open_burning_seen="yes",
            )
        ],
        [
            {
                "instance_id": "s1",
                "entry": 1,
                "latitude": 31.7,
                "longitude": 119.8,
                "burning_area_mu": 2.0,
            }
        ],
    )
    details = town(output)["details"]
    assert (details["burned_t"], details["open_burning_reports"], details["burning_sites"]) == (
        5.0,
        1,
        1,
    )
    assert town(output)["met"] is False


def test_seasons_fall_in_the_quarter_their_harvest_ends():
    output = run(
        [
            straw_record("s1", NV_A1, 2025, "summer", collectable=10.0, uses={}),
            straw_record("s2", NV_A1, 2025, "autumn", collectable=20.0, uses={}),
        ],
        periods=["2025-Q2", "2025-Q4", "2025-10"],
    )
    assert [town(output, p)["denominator"] for p in ("2025-Q2", "2025-Q4", "2025-10")] == [
        10.0,
        20.0,
        20.0,
    ]


def test_no_records_gives_no_value():
    row = town(run([]))
    assert row["denominator"] == 0 and row["met"] is None
