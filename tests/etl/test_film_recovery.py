"""T5 FILM_RECOVERY: film recovered ÷ film used (kg), village reports only."""

import datetime as dt

import pytest
from etl_builders import NV_A1, NV_B1, film_entry, film_record, frame

from etl import schemas
from etl.indicators import film_recovery

AS_OF = dt.date(2025, 12, 31)


def run(records, entries, periods=("2025",)):
    return film_recovery(
        frame(schemas.FILM_RECORDS, records),
        frame(schemas.FILM_ENTRIES, entries),
        periods=list(periods),
        targets={"FILM_RECOVERY": 90.0},
        as_of=AS_OF,
    )


def town(output, period="2025"):
    results = output.results
    return results.loc[(results["level"] == "town") & (results["period"] == period)].iloc[0]


def test_recovered_over_used_summed_over_entries():
    output = run(
        [film_record("f1", NV_A1, "2025-06-30"), film_record("f2", NV_B1, "2025-12-31")],
        [
            film_entry("f1", 1, 100.0, 95.0),
            film_entry("f1", 2, 50.0, 40.0, film_type="greenhouse"),
            film_entry("f2", 1, 50.0, 45.0),
        ],
    )
    row = town(output)
    assert (row["numerator"], row["denominator"]) == (180.0, 200.0)
    assert row["value"] == pytest.approx(90.0) and row["met"] is True
    assert row["details"]["greenhouse_used_kg"] == 50.0
    assert row["records"] == ["f1", "f2"]


def test_collection_point_reports_are_not_added_to_village_figures():
    output = run(
        [
            film_record("f1", NV_A1, "2025-06-30"),
            film_record("p1", NV_A1, "2025-06-30", site_type="point"),
        ],
        [film_entry("f1", 1, 100.0, 80.0), film_entry("p1", 1, 0.0, 300.0)],
    )
    row = town(output)
    assert (row["numerator"], row["denominator"]) == (80.0, 100.0)
    assert row["details"]["collection_point_recovered_kg"] == 300.0


def test_it_counts_banned_thickness_findings():
    output = run(
        [film_record("f1", NV_A1, "2025-06-30")],
        [
            film_entry("f1", 1, 10.0, 9.0, thickness=0.008),
            film_entry("f1", 2, 10.0, 9.0, thickness=0.012),
        ],
    )
    assert town(output)["details"]["thin_film_findings"] == 1


def test_a_report_counts_in_the_period_its_reporting_period_ends():
    output = run(
        [film_record("f1", NV_A1, "2025-06-30")],
        [film_entry("f1", 1, 10.0, 9.0)],
        ["2025-Q2", "2025-Q3"],
    )
    assert town(output, "2025-Q2")["denominator"] == 10.0
    assert town(output, "2025-Q3")["denominator"] == 0.0


def test_no_film_used_gives_no_value():
    row = town(run([film_record("f1", NV_A1, "2025-06-30")], [film_entry("f1", 1, 0.0, 0.0)]))
    assert row["met"] is None
