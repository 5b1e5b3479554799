"""T2 FACILITY_OPERATION: facilities normal at their latest inspection ÷ in-service facilities."""

import datetime as dt

from etl_builders import NV_A1, NV_B1, facility, frame, inspection

from etl import schemas
from etl.indicators import facility_operation

AS_OF = dt.date(2025, 12, 31)


def run(facilities, inspections=(), periods=("2025-Q3",)):
    return facility_operation(
        frame(schemas.FACILITIES, facilities),
        frame(schemas.INSPECTIONS, list(inspections)),
        periods=list(periods),
        targets={"FACILITY_OPERATION": 100.0},
        as_of=AS_OF,
    )


def town(output, period="2025-Q3"):
    results = output.results
    return results.loc[(results["level"] == "town") & (results["period"] == period)].iloc[0]


def test_a_facility_without_inspection_counts_only_in_the_denominator_as_uninspected():
    output = run(
        [facility("ZQ-WS-001", NV_A1), facility("ZQ-WS-002", NV_A1)],
        [inspection("i1", "ZQ-WS-001", "2025-07-03", "normal")],
    )
    row = town(output)
    assert (row["numerator"], row["denominator"]) == (1, 2)
    assert row["details"]["by_status"] == {
        "normal": 1,
        "defective": 0,
        "stopped": 0,
        "uninspected": 1,
    }
    assert row["met"] is False


def test_facilities_out_of_service_are_not_counted():
    output = run(
        [facility("ZQ-WS-001", NV_A1), facility("ZQ-WS-002", NV_A1, in_service=False)],
        [inspection("i1", "ZQ-WS-001", "2025-07-03", "normal")],
    )
    row = town(output)
    assert (row["numerator"], row["denominator"], row["met"]) == (1, 1, True)
    assert row["records"] == ["ZQ-WS-001"]


def test_defective_and_stopped_facilities_are_not_normal():
    output = run(
        [facility("ZQ-WS-001", NV_A1), facility("ZQ-WS-002", NV_A1), facility("ZQ-WS-003", NV_B1)],
        [
            inspection("i1", "ZQ-WS-001", "2025-07-03", "normal"),
            inspection("i2", "ZQ-WS-002", "2025-07-03", "defective"),
            inspection("i3", "ZQ-WS-003", "2025-07-03", "stopped"),
        ],
    )
    assert town(output)["numerator"] == 1


def test_the_latest_inspection_in_the_period_decides():
    output = run(
        [facility("ZQ-WS-001", NV_A1)],
        [
            inspection("i1", "ZQ-WS-001", "2025-07-03", "stopped"),
            inspection("i2", "ZQ-WS-001", "2025-09-20", "normal"),
            inspection("i3", "ZQ-WS-001", "2025-10-02", "stopped"),  # next quarter
        ],
    )
    assert town(output)["numerator"] == 1
    assert output.basis["source_id"].tolist() == ["i2"]


def test_of_two_inspections_on_one_day_the_later_submission_wins():
    output = run(
        [facility("ZQ-WS-001", NV_A1)],
        [
            inspection(
                "later", "ZQ-WS-001", "2025-07-03", "normal", submitted_at="2025-07-03 09:00"
            ),
            inspection(
                "earlier", "ZQ-WS-001", "2025-07-03", "stopped", submitted_at="2025-07-03 08:00"
            ),
        ],
    )
    assert town(output)["numerator"] == 1
    assert output.basis["source_id"].tolist() == ["later"]


def test_the_registry_status_counts_as_an_inspection_on_its_date():
    facilities = [
        facility("ZQ-WS-001", NV_A1, status="normal", status_date="2020-11-02"),
        facility("ZQ-WS-002", NV_A1, status="stopped", status_date="2020-11-02"),
        facility("ZQ-WS-003", NV_A1, status="normal", status_date="2020-11-02"),
    ]
    output = run(facilities, [inspection("i1", "ZQ-WS-003", "2020-11-02", "defective")], ["2020"])
    row = town(output, "2020")
    assert (row["numerator"], row["denominator"]) == (1, 3)  # the submission beats the registry
    assert (
        town(run(facilities, periods=["2021"]), "2021")["details"]["by_status"]["uninspected"] == 3
    )


def test_it_reports_per_admin_village():
    output = run(
        [facility("ZQ-WS-001", NV_A1), facility("ZQ-WS-002", NV_B1)],
        [inspection("i1", "ZQ-WS-001", "2025-07-03", "normal")],
    )
    admin = output.results.loc[output.results["level"] == "admin_village"].set_index("area_code")
    assert admin.loc[NV_A1[:12], "value"] == 100.0
    assert admin.loc[NV_B1[:12], "value"] == 0.0


def test_no_facilities_gives_a_town_row_without_value():
    row = town(run([]))
    assert row["denominator"] == 0 and row["met"] is None
