"""T1 SEWAGE_COVERAGE: treated natural villages ÷ natural villages not planned for relocation."""

import datetime as dt
import math

import pytest
from etl_builders import ADMIN_A, NV_A1, NV_A2, NV_B1, coverage, frame, village

from etl import schemas
from etl.indicators import sewage_coverage

AS_OF = dt.date(2025, 12, 31)
TARGETS = {"SEWAGE_COVERAGE": 90.0}


def town(output, period="2025"):
    results = output.results
    return results.loc[(results["level"] == "town") & (results["period"] == period)].iloc[0]


def run(villages, surveys=(), periods=("2025",), targets=TARGETS):
    return sewage_coverage(
        frame(schemas.NATURAL_VILLAGES, villages),
        frame(schemas.COVERAGE_SURVEYS, list(surveys)),
        periods=list(periods),
        targets=targets,
        as_of=AS_OF,
    )


def test_it_counts_every_mode_but_none_as_treated():
    output = run(
        [
            village(NV_A1, mode="sewer"),
            village(NV_A2, mode="decentralized"),
            village(NV_B1, mode="none"),
        ]
    )
    row = town(output)
    assert (row["numerator"], row["denominator"]) == (2, 3)
    assert row["value"] == pytest.approx(200 / 3)
    assert row["met"] is False


def test_it_leaves_villages_planned_for_relocation_out_of_both_counts():
    output = run(
        [
            village(NV_A1, mode="sewer"),
            village(NV_A2, mode="none"),
            village(NV_B1, mode="none", relocation=True),
        ]
    )
    row = town(output)
    assert (row["numerator"], row["denominator"]) == (1, 2)
    assert row["records"] == [NV_A1, NV_A2]
    assert row["details"]["excluded_planned_relocation"] == 1


def test_it_reproduces_the_2020_baseline_of_139_out_of_198():
    villages = [village(f"{ADMIN_A}{i:03d}", mode="sewer") for i in range(1, 140)]
    villages += [village(f"{ADMIN_A}{i:03d}") for i in range(140, 199)]
    villages += [village(f"{ADMIN_A}{i:03d}", relocation=True) for i in range(199, 209)]
    row = town(run(villages, periods=["2020"]), "2020")
    assert round(row["value"], 1) == 70.2


def test_the_latest_survey_before_the_cutoff_overrides_the_registry():
    surveys = [
        coverage("s1", NV_A1, "2025-03-01", "centralized"),
        coverage("s2", NV_A1, "2025-08-01", "none"),
        coverage("s3", NV_A2, "2026-01-05", "sewer"),  # after the cut-off
    ]
    output = run(
        [village(NV_A1, mode="none"), village(NV_A2, mode="none")], surveys, ["2025-Q1", "2025"]
    )
    assert town(output, "2025-Q1")["numerator"] == 1
    assert town(output, "2025")["numerator"] == 0
    basis = output.basis.loc[output.basis["period"] == "2025-Q1"].set_index("record_id")
    assert basis.loc[NV_A1, "source_id"] == "s1"


def test_it_gives_values_per_admin_and_natural_village():
    output = run([village(NV_A1, mode="sewer"), village(NV_A2), village(NV_B1, mode="sewer")])
    admin = output.results.loc[output.results["level"] == "admin_village"]
    assert dict(zip(admin["area_code"], admin["value"], strict=True)) == {
        ADMIN_A: 50.0,
        NV_B1[:12]: 100.0,
    }
    assert (output.results["level"] == "natural_village").sum() == 3


def test_a_zero_denominator_gives_no_value_and_no_verdict():
    row = town(run([village(NV_A1, relocation=True)]))
    assert row["denominator"] == 0
    assert math.isnan(row["value"]) and row["met"] is None


def test_met_compares_exactly_at_the_target():
    villages = [village(f"{ADMIN_A}{i:03d}", mode="sewer") for i in range(1, 10)] + [village(NV_B1)]
    assert town(run(villages))["met"] is True  # 9 / 10 = 90 %


def test_without_a_target_met_is_none():
    assert town(run([village(NV_A1, mode="sewer")], targets={}))["met"] is None


def test_it_refuses_a_registry_without_the_relocation_flag():
    villages = frame(schemas.NATURAL_VILLAGES, [village(NV_A1)]).drop(
        columns="is_planned_relocation"
    )
    with pytest.raises(Exception, match="is_planned_relocation"):
        sewage_coverage(
            villages,
            schemas.empty(schemas.COVERAGE_SURVEYS),
            periods=["2025"],
            targets=TARGETS,
            as_of=AS_OF,
        )
