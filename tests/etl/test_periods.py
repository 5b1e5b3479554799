"""Period labels and the data cut-off."""

import datetime as dt

import pandas as pd
import pytest
from etl_builders import NV_A1, frame, village

from etl import schemas
from etl.indicators import period_parse, sewage_coverage, year_periods


def test_it_parses_years_quarters_and_months():
    assert period_parse("2025").end == pd.Timestamp("2025-12-31")
    assert (period_parse("2025-Q3").start, period_parse("2025-Q3").end) == (
        pd.Timestamp("2025-07-01"),
        pd.Timestamp("2025-09-30"),
    )
    assert period_parse("2024-02").end == pd.Timestamp("2024-02-29")


@pytest.mark.parametrize("label", ["2025-Q5", "2025-13", "25", "2025Q3"])
def test_it_refuses_other_labels(label):
    with pytest.raises(ValueError):
        period_parse(label)


def test_a_year_has_seventeen_periods():
    assert len(year_periods(2025)) == 17


def test_periods_starting_after_the_cutoff_are_skipped():
    output = sewage_coverage(
        frame(schemas.NATURAL_VILLAGES, [village(NV_A1)]),
        schemas.empty(schemas.COVERAGE_SURVEYS),
        periods=["2025-07", "2025-08"],
        targets={},
        as_of=dt.date(2025, 7, 15),
    )
    assert output.results["period"].unique().tolist() == ["2025-07"]
