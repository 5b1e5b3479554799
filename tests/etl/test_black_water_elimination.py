"""T4 BLACK_WATER_ELIMINATION: water bodies closed off (销号) ÷ confirmed listed bodies."""

import datetime as dt

from etl_builders import NV_A1, frame, observation, water_body

from etl import schemas
from etl.indicators import black_water_elimination

AS_OF = dt.date(2025, 12, 31)


def run(bodies, observations=(), periods=("2025",)):
    return black_water_elimination(
        frame(schemas.WATER_BODIES, bodies),
        frame(schemas.WATER_OBSERVATIONS, list(observations)),
        periods=list(periods),
        targets={"BLACK_WATER_ELIMINATION": 100.0},
        as_of=AS_OF,
    )


def town(output, period="2025"):
    results = output.results
    return results.loc[(results["level"] == "town") & (results["period"] == period)].iloc[0]


def test_closed_bodies_over_all_listed_bodies():
    output = run(
        [
            water_body("ZQ-HC-001", NV_A1, "closed", "2024-05-01"),
            water_body("ZQ-HC-002", NV_A1, "works", "2024-05-01"),
            water_body("ZQ-HC-003", NV_A1, "monitoring", "2024-05-01"),
        ]
    )
    row = town(output)
    assert (row["numerator"], row["denominator"], row["met"]) == (1, 3, False)
    assert row["details"]["by_stage"]["monitoring"] == 1


def test_an_observation_moves_a_body_along_its_lifecycle():
    output = run(
        [water_body("ZQ-HC-001", NV_A1, "works", "2024-05-01")],
        [
            observation("o1", "ZQ-HC-001", "2025-03-01", "progress", "completed"),
            observation("o2", "ZQ-HC-001", "2025-09-01", "progress", "closed"),
        ],
        ["2025-Q1", "2025"],
    )
    assert town(output, "2025-Q1")["numerator"] == 0
    assert town(output, "2025")["numerator"] == 1
    assert output.basis.loc[output.basis["period"] == "2025", "source_id"].tolist() == ["o2"]


def test_a_body_found_black_again_in_monitoring_rebounds_out_of_the_numerator():
    output = run(
        [
            water_body("ZQ-HC-001", NV_A1, "closed", "2024-05-01"),
            water_body("ZQ-HC-002", NV_A1, "closed", "2024-05-01"),
        ],
        [
            observation(
                "o1", "ZQ-HC-001", "2025-06-01", "post_monitoring", "maintenance", black=True
            )
        ],
    )
    row = town(output)
    assert (row["numerator"], row["denominator"]) == (1, 2)
    assert row["details"]["by_stage"]["rebound"] == 1
    assert row["details"]["rebounds_in_period"] == 1


def test_unconfirmed_bodies_are_not_listed_yet():
    output = run(
        [
            water_body("ZQ-HC-001", NV_A1, "closed", "2024-05-01"),
            water_body("ZQ-HC-002", NV_A1, "screened", "2025-05-01", confirmed=False),
        ],
        [observation("o1", None, "2025-05-01", "screening", black=True)],
    )
    row = town(output)
    assert (row["numerator"], row["denominator"]) == (1, 1)
    assert row["details"]["new_reports_unconfirmed"] == 1


def test_a_registry_stage_dated_after_the_cutoff_does_not_count_earlier():
    output = run(
        [water_body("ZQ-HC-001", NV_A1, "closed", "2025-11-01")], periods=["2025-Q1", "2025"]
    )
    assert town(output, "2025-Q1")["numerator"] == 0
    assert town(output, "2025")["numerator"] == 1


def test_no_listed_bodies_gives_no_value():
    row = town(run([]))
    assert row["denominator"] == 0 and row["met"] is None
